// The API contract on workerd: /v1/openapi.json is valid OpenAPI 3.1 (checked by an independent
// validator), and every route it describes answers, live, as it says: each status is declared
// for that operation, and each JSON body matches the declared schema (checked with Ajv).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { bearer, useWorkerWithOwner, wasmPath } from "./harness.mjs";

const documentId = "urn:patomic:openapi";
const pointer = (...segments) => segments.map((s) => encodeURIComponent(String(s).replaceAll("~", "~0").replaceAll("/", "~1"))).join("/");

function templateOf(document, path) {
  return Object.keys(document.paths).find((template) => {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    return pattern.test(path);
  });
}

describe(`the API contract on workerd (${wasmPath})`, () => {
  const shared = useWorkerWithOwner();
  let document;
  let ajv;

  before(async () => {
    const response = await shared.worker.get("/v1/openapi.json");
    assert.equal(response.status, 200);
    document = await response.json();
    ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: documentId });
  });

  test("/v1/openapi.json is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
    assert.equal(validator.version, "3.1");
  });

  test("every route answers as the document describes", async () => {
    const exercised = new Set();
    const call = async (method, path, { body, headers = {}, key = shared.owner } = {}) => {
      const init = { method, headers: { ...(key ? bearer(key) : {}), ...headers } };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        if (typeof body !== "string") init.headers["content-type"] = "application/json";
      }
      const response = await shared.worker.get(path, init);
      const text = await response.text();
      const template = templateOf(document, new URL(path, "http://x").pathname);
      assert.ok(template, `${path} is not in the document`);
      const operation = document.paths[template][method.toLowerCase()];
      assert.ok(operation, `${method} ${template} is not in the document`);
      exercised.add(operation.operationId);
      const declared = operation.responses[String(response.status)];
      assert.ok(declared, `${method} ${path} answered ${response.status}, which ${operation.operationId} does not declare: ${text}`);
      const [mediaType, media] = Object.entries(declared.content ?? {})[0] ?? [];
      if (mediaType === "application/json") {
        assert.match(response.headers.get("content-type"), /^application\/json/);
        const validate = ajv.getSchema(`${documentId}#/${pointer("paths", template, method.toLowerCase(), "responses", response.status, "content", mediaType, "schema")}`);
        const valid = validate(JSON.parse(text));
        assert.ok(valid, `${method} ${path} ${response.status}: ${JSON.stringify(validate.errors)} in ${text}`);
      } else if (mediaType && mediaType !== "*/*") {
        assert.ok((response.headers.get("content-type") ?? "application/octet-stream").startsWith(mediaType.split(";")[0]),
          `${method} ${path} answered ${response.headers.get("content-type")}, not ${mediaType}`);
      }
      return { response, text, json: () => JSON.parse(text) };
    };

    await call("GET", "/livez", { key: null });
    await call("GET", "/readyz", { key: null });
    await call("GET", "/health", { key: null });
    await call("GET", "/v1/openapi.json", { key: null });
    await call("GET", "/docs", { key: null });
    await call("GET", "/v1/me");
    await call("GET", "/v1/me", { key: null }); // 401
    const created = (await call("POST", "/v1/keys", { body: { name: "contract", role: "member", scopes: ["keys:read"] } })).json();
    await call("POST", "/v1/keys", { body: { role: "emperor", extra: 1 } }); // 400
    await call("POST", "/v1/keys", { body: "{", headers: { "content-type": "application/json" } }); // 400 invalid_json
    await call("GET", "/v1/keys?limit=1");
    await call("GET", "/v1/keys?cursor=forged.cursor"); // 400 invalid_cursor
    await call("GET", `/v1/keys/${created.id}`);
    await call("GET", "/v1/keys/key_nope"); // 404
    await call("GET", "/v1/keys", { key: created.secret }); // a member's key with keys:read
    await call("POST", `/v1/keys/${created.id}/roll`, { body: { expires_in_seconds: 60 } });
    await call("POST", `/v1/keys/${created.id}/roll`, { body: {} }); // 409 key_not_rollable
    await call("DELETE", `/v1/keys/${created.id}`);
    await call("GET", "/v1/audit-log?event=key.created&limit=2");
    await call("GET", "/v1/audit-log", { key: created.secret }); // 403: no audit:read
    const { db } = shared.worker;
    await db.batch([
      db.prepare("INSERT INTO patents (number, kind, document_type, title, filing_date, publication_date, grant_date, updated_at) " +
        "VALUES ('D656296', 'S1', 'grant', 'Ready to eat snack piece', '2010-12-16', '2012-03-27', '2012-03-27', 0)"),
      db.prepare("INSERT INTO inventors VALUES ('D656296', 0, 'Nicole', 'Cavin', 'Frisco', 'TX', 'US')"),
      db.prepare("INSERT INTO patent_cpc VALUES ('D656296', 'A23L7/117', 0)"),
      db.prepare("INSERT INTO citations VALUES ('D656296', 0, 'D38206', 'US', 'S', '1906-08', 'cited by examiner')"),
      db.prepare("INSERT INTO assignments (id, reel, frame, conveyance_text, conveyance_type, recorded_date, page_count) " +
        "VALUES ('37388-92', 37388, 92, 'ASSIGNMENT OF ASSIGNORS INTEREST', 'employer_assignment', '2015-12-30', 3)"),
      db.prepare("INSERT INTO assignment_parties (assignment_id, role, sequence, name, normalized_name, execution_date) VALUES " +
        "('37388-92', 'assignor', 0, 'CAVIN, NICOLE', 'CAVIN NICOLE', '2011-01-10'), " +
        "('37388-92', 'assignee', 0, 'FRITO-LAY NORTH AMERICA, INC.', 'FRITO LAY NORTH AMERICA', NULL)"),
      db.prepare("INSERT INTO assignment_properties (assignment_id, sequence, patent_number) VALUES ('37388-92', 0, 'D656296')"),
      db.prepare("INSERT INTO maintenance_fee_events VALUES ('D656296', '29381217', 'N', '2010-12-16', '2012-03-27', '2013-01-01', 'REM.')"),
      db.prepare("INSERT INTO assignees (id, name, normalized_name, country, created_at) VALUES " +
        "('ent_fl', 'Frito-Lay North America, Inc.', 'FRITO LAY NORTH AMERICA', 'US', 0)"),
      db.prepare("INSERT INTO patent_assignees VALUES ('D656296', 'ent_fl', 0, 'Frito-Lay North America, Inc.')"),
      db.prepare("INSERT INTO cpc_codes VALUES ('A', NULL, 'HUMAN NECESSITIES', NULL), ('A01', NULL, 'AGRICULTURE', 'A'), " +
        "('A01B', NULL, 'SOIL WORKING', 'A01'), ('A01B1/00', 0, 'Hand tools', 'A01B')"),
    ]);
    await call("GET", "/v1/patents?cpc=A23L&grant_date_from=2012-01-01&limit=5");
    await call("GET", "/v1/patents?grant_date_from=2012-03-27&grant_date_to=2012-01-01"); // 400
    await call("GET", "/v1/patents/USD0656296S1");
    await call("GET", "/v1/patents/10,000,001"); // 404
    await call("GET", "/v1/patents/not-a-number"); // 400
    await call("GET", "/v1/patents/D656296/citations");
    await call("GET", "/v1/patents/D38206/citations?direction=forward"); // 404: not in the database
    await call("GET", "/v1/patents/D656296/assignments");
    await call("GET", "/v1/patents/D656296/ownership");
    await call("GET", "/v1/patents/D656296/maintenance");
    const bucket = await shared.worker.mf.getR2Bucket("BLOBS");
    const fulltext = "<us-patent-grant>" + "<claim>a snack piece</claim>".repeat(40000) + "</us-patent-grant>";
    await bucket.put("patents/D656296/fulltext.xml", fulltext, { httpMetadata: { contentType: "application/xml" } });
    await bucket.put("patents/D656296/document.pdf", "%PDF-1.4 tiny", { httpMetadata: { contentType: "application/pdf" } });
    const whole = await call("GET", "/v1/patents/D656296/fulltext");
    assert.equal(whole.text, fulltext); // about 1.1 MB, streamed from R2 by the shim
    const part = await call("GET", "/v1/patents/D656296/pdf", { headers: { range: "bytes=0-7" } });
    assert.equal(part.response.status, 206);
    assert.equal(part.text, "%PDF-1.4");
    assert.equal(part.response.headers.get("content-range"), "bytes 0-7/13");
    const open = await call("GET", "/v1/patents/D656296/pdf", { headers: { range: "bytes=9-" } });
    assert.equal(open.text, "tiny");
    assert.equal(open.response.headers.get("content-range"), "bytes 9-12/13");
    const tail = await call("GET", "/v1/patents/D656296/fulltext", { headers: { range: "bytes=-18" } });
    assert.equal(tail.text, "</us-patent-grant>");
    const past = await call("GET", "/v1/patents/D656296/pdf", { headers: { range: "bytes=13-" } });
    assert.equal(past.response.status, 416);
    assert.equal(past.response.headers.get("content-range"), "bytes */13");
    await call("GET", "/v1/patents/D656297/pdf"); // 404
    await db.prepare("INSERT INTO patent_text (number, title, abstract, claims) VALUES ('D656296', 'Ready to eat snack piece', " +
      "'The ornamental design for a snack piece <as shown>.', 'The ornamental design for a snack piece.')").run();
    const hits = (await call("GET", "/v1/search?q=snacks")).json();
    assert.equal(hits.data[0].number, "D656296");
    assert.match(hits.data[0].snippet_html, /<mark>snack<\/mark>/);
    await call("GET", "/v1/search?q=%2A%2A"); // 400
    await call("GET", "/v1/assignees?q=frito-lay");
    await call("GET", "/v1/assignees?q=" + "x".repeat(101)); // 400
    await call("GET", "/v1/assignees/ent_fl/patents");
    await call("GET", "/v1/cpc/A01B");
    await call("GET", "/v1/cpc/A01B1/00");
    await call("GET", "/v1/cpc/A01B1/9"); // 400
    await call("POST", "/v1/ingestion/jobs", { key: shared.operator, body: { source: "grant", date: "2012-03-27" } }); // 202 (no files: it will fail)
    await call("POST", "/v1/ingestion/jobs", { key: shared.operator, body: { source: "grant", date: "2012-02-30" } }); // 400
    await call("GET", "/v1/ingestion/jobs/us:grant:2012-03-27", { key: shared.operator });
    await call("GET", "/v1/ingestion/jobs/us:grant:1999-01-01", { key: shared.operator }); // 404
    await call("GET", "/v1/ingestion/jobs/us:grant:2012-03-27/errors", { key: shared.operator });
    await call("GET", "/v1/ingestion/jobs/us:grant:1999-01-01/errors", { key: shared.operator }); // 404
    await call("GET", "/v1/ingestion/jobs?source=assignment", { key: shared.operator });
    await call("GET", "/v1/ingestion/jobs?status=done", { key: shared.operator }); // 400
    await call("GET", "/v1/ingestion/status", { key: shared.operator });
    await call("GET", "/v1/ingestion/status"); // 403 operator_only: tenants see /v1/sources
    await call("GET", "/v1/sources");
    const events = (await call("GET", "/v1/events?limit=5")).json();
    assert.ok(events.data.some((event) => event.type === "key.created"));
    await call("GET", "/v1/events?type=key.created");
    await call("GET", "/v1/events?type=nope"); // 400
    await call("GET", "/v1/events/stream?cursor=0"); // 426: a WebSocket route (tests/integration/stream.test.mjs)
    const hook = (await call("POST", "/v1/webhook_endpoints", { body: { url: "http://127.0.0.1:9/hooks", enabled_events: ["key.created"] } })).json();
    assert.match(hook.secret, /^whsec_/);
    await call("POST", "/v1/webhook_endpoints", { body: { url: "ftp://example.com/", enabled_events: ["*"] } }); // 400
    await call("GET", "/v1/webhook_endpoints?limit=1");
    await call("GET", `/v1/webhook_endpoints/${hook.id}`);
    await call("GET", "/v1/webhook_endpoints/we_missing"); // 404
    await call("PATCH", `/v1/webhook_endpoints/${hook.id}`, { body: { description: "contract", status: "disabled" } });
    await call("POST", `/v1/webhook_endpoints/${hook.id}/roll_secret`, { body: { expires_in_seconds: 0 } });
    await call("POST", `/v1/webhook_endpoints/${hook.id}/test`); // 202 (disabled: dropped unsent)
    await call("GET", `/v1/webhook_endpoints/${hook.id}/attempts`);
    await call("DELETE", `/v1/webhook_endpoints/${hook.id}`);
    const portfolio = (await call("POST", "/v1/portfolios", { body: { name: "contract", description: "watch" } })).json();
    await call("POST", "/v1/portfolios", { body: { name: "" } }); // 400
    await call("GET", "/v1/portfolios?limit=1");
    await call("GET", `/v1/portfolios/${portfolio.id}`);
    await call("GET", "/v1/portfolios/pf_missing"); // 404
    await call("PATCH", `/v1/portfolios/${portfolio.id}`, { body: { description: null } });
    await call("POST", `/v1/portfolios/${portfolio.id}/patents`, { body: { number: "USD0656296S1" } }); // 201
    await call("POST", `/v1/portfolios/${portfolio.id}/patents`, { body: { number: "D656296" } }); // 200
    await call("GET", `/v1/portfolios/${portfolio.id}/patents`);
    await call("DELETE", `/v1/portfolios/${portfolio.id}/patents/D656296`);
    await call("DELETE", `/v1/portfolios/${portfolio.id}`);
    await call("POST", "/__debug/echo", { key: null, body: { a: [1, "b"] } });
    await call("GET", "/__debug/sleep?ms=1", { key: null });
    await call("POST", "/v1/debug/sleep?ms=1", { body: {} });
    await call("PUT", "/__debug/kv/contract", { key: null, body: "hello" });
    await call("GET", "/__debug/kv/contract", { key: null });
    await call("PUT", "/__debug/r2/contract", { key: null, body: "hello" });
    await call("GET", "/__debug/r2/contract?offset=1&length=2", { key: null });
    await call("GET", "/__debug/r2/missing", { key: null }); // 404
    await call("POST", "/__debug/trap", { key: null }); // 500 internal_error, from the shim

    const described = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    assert.deepEqual(described.filter((id) => !exercised.has(id)), [], "operations never exercised");
  });

  test("every docs_url points at an anchor of /docs", async () => {
    const page = await (await shared.worker.get("/docs")).text();
    for (const { code } of document["x-error-codes"]) assert.ok(page.includes(`id="error-${code}"`), code);
    const envelope = await (await shared.worker.get("/v1/me")).json();
    const url = new URL(envelope.error.docs_url);
    assert.equal(url.pathname, "/docs");
    assert.ok(page.includes(`id="${url.hash.slice(1)}"`));
  });
});
