// The real USPTO samples, loaded by ingestion jobs into Miniflare's D1 (as scripts/ingest does
// for wrangler dev), then read back through the Worker on workerd.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bearer, ingest, sample, useWorkerWithOwner, wasmPath } from "./harness.mjs";

describe(`ingested samples on workerd (${wasmPath})`, () => {
  const shared = useWorkerWithOwner();
  const load = (source, date, files) => ingest(shared.worker, shared.operator, source, date, files);

  test("grants, assignments and CPC titles load, twice without change, and answer through the API", async () => {
    const counts = async () => {
      const tables = ["patents", "assignees", "entity_names", "assignment_parties", "cpc_codes"];
      return Promise.all(tables.map(async (t) => (await shared.worker.db.prepare(`SELECT count(*) AS n FROM ${t}`).first()).n));
    };
    let first;
    for (const round of [1, 2]) {  // the second round: the same files as the next day's jobs
      assert.equal((await load("grant", `2012-03-2${6 + round}`, { "ipg.xml": sample("grant_ipg120327_two_concat_v42.xml") })).loaded, 2);
      assert.equal((await load("assignment", `2016-01-0${round}`, { "ad.xml": sample("assignment_ad20160101_subset.xml") })).loaded, 7);
      assert.equal((await load("cpc", `2025-0${4 + round}-01`, { "y.txt": sample("cpc-section-Y_20250501_head80.txt") })).loaded, 80);
      if (round === 1) first = await counts();
      else assert.deepEqual(await counts(), first);
    }
    const get = async (path) => (await shared.worker.get(path, { headers: bearer(shared.owner) })).json();

    const patent = await get("/v1/patents/D656,309");
    assert.equal(patent.title, "Universal remote control accessory for a mobile device");
    assert.ok(patent.inventors.some((inventor) => inventor.last_name === "Renelt"));
    const merger = await get("/v1/patents/7503059/assignments");
    assert.equal(merger.data[0].conveyance_type, "merger");
    assert.deepEqual(merger.data[0].assignees, [{ name: "NYTELL SOFTWARE LLC" }]);
    const search = await get("/v1/search?q=remote%20control");
    assert.equal(search.data[0].number, "D656309");
    const y = await get("/v1/cpc/Y02");
    assert.equal(y.parents[0].symbol, "Y");
    assert.ok(first[3] > 7);
  });

  test("concurrent jobs naming one company two ways create one canonical entity", async () => {
    const record = (reel, assignee) =>
      `<patent-assignment><assignment-record><reel-no>${reel}</reel-no><frame-no>1</frame-no><recorded-date><date>20160105</date>` +
      `</recorded-date><conveyance-text>ASSIGNMENT OF ASSIGNORS INTEREST</conveyance-text></assignment-record><patent-assignors>` +
      `<patent-assignor><name>DOE, JANE</name></patent-assignor></patent-assignors><patent-assignees><patent-assignee><name>` +
      `${assignee}</name></patent-assignee></patent-assignees></patent-assignment>`;
    const file = (records) => `<us-patent-assignments>${records.join("")}</us-patent-assignments>`;
    const jobs = await Promise.all([
      load("assignment", "2016-02-01", { "a.xml": file([record(70001, "Zenith Widgetworks, Inc."), record(70002, "Zenith Widgetworks LLC")]) }),
      load("assignment", "2016-02-02", { "b.xml": file([record(70003, "ZENITH WIDGETWORKZ INC"), record(70004, "Zenith Widget Works")]) }),
    ]);
    assert.deepEqual(jobs.map((job) => job.status), ["succeeded", "succeeded"]);
    const { results } = await shared.worker.db
      .prepare("SELECT count(DISTINCT entity_id) AS n FROM entity_names WHERE normalized_name LIKE 'ZENITH WIDGET%'")
      .all();
    assert.equal(results[0].n, 1);  // WIDGETWORKS, WIDGETWORKZ and WIDGET WORKS: one entity
  });

  test("every patent filter and sort, and bad input, on the loaded samples", async () => {
    await load("grant", "2012-03-20", { "one.xml": sample("grant_ipg120327_one_v42.xml"), "two.xml": sample("grant_ipg120327_two_concat_v42.xml") });
    await shared.worker.db.prepare("INSERT OR IGNORE INTO patent_cpc VALUES ('D656309', 'H04M1/02', 0)").run();
    const get = (path) => shared.worker.get(path, { headers: bearer(shared.owner) });
    const numbers = async (query) => (await (await get(`/v1/patents${query}`)).json()).data.map((p) => p.number);
    const orthocor = (await (await get("/v1/assignees?q=OrthoCor%20Medical")).json()).data[0].id;

    assert.deepEqual(await numbers(`?assignee=${orthocor}`), ["D656308"]);
    assert.deepEqual(await numbers("?cpc=H04M"), ["D656309"]);
    assert.deepEqual(await numbers("?kind=S1&sort=number"), ["D656296", "D656308", "D656309"]);
    assert.deepEqual(await numbers("?grant_date_from=2012-03-27&grant_date_to=2012-03-27&sort=-number"), ["D656309", "D656308", "D656296"]);
    assert.deepEqual(await numbers("?filing_date_from=2010-12-01&filing_date_to=2010-12-31"), ["D656296"]);
    assert.deepEqual(await numbers("?sort=filing_date"), ["D656308", "D656296", "D656309"]);
    assert.deepEqual(await numbers("?grant_date_to=2011-12-31"), []);
    const first = await (await get("/v1/patents?sort=number&limit=2")).json();
    const rest = await (await get(`/v1/patents?sort=number&limit=2&cursor=${first.next_cursor}`)).json();
    assert.deepEqual([...first.data, ...rest.data].map((p) => p.number), ["D656296", "D656308", "D656309"]);

    const refused = async (path, status, code) => {
      const response = await get(path);
      assert.equal(response.status, status, path);
      assert.equal((await response.json()).error.code, code, path);
    };
    await refused("/v1/patents/9999999", 404, "resource_missing");
    await refused("/v1/patents/US12AB", 400, "parameter_invalid");
    await refused("/v1/patents?grant_date_from=2012-03-27&grant_date_to=2012-01-01", 400, "parameter_invalid");
    await refused("/v1/patents?filing_date_from=2012-02-30", 400, "parameter_invalid");
    await refused(`/v1/search?q=${"a".repeat(201)}`, 400, "parameter_invalid");
    await refused(`/v1/assignees?q=${"a".repeat(101)}`, 400, "parameter_invalid");
    await refused(`/v1/patents?sort=-number&cursor=${first.next_cursor}`, 400, "invalid_cursor");
  });
});
