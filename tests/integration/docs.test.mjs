// GET /docs in a real browser: headless Chromium (Debian's `chromium`) loads the page from the
// Worker on workerd, with the page's own Content-Security-Policy, and the rendered DOM holds
// every operation and every error code. The browser reports any resource the policy refused.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { startWorker, wasmPath } from "./harness.mjs";

const run = promisify(execFile);

// Async on purpose: a synchronous child would block this process from draining workerd's output.
async function chromium(url, profile) {
  const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--enable-logging=stderr", "--v=0", `--user-data-dir=${profile}`, "--dump-dom", url];
  return run(process.env.CHROMIUM ?? "chromium", args, { timeout: 60000, maxBuffer: 64 * 1024 * 1024 });
}

describe(`/docs in headless Chromium (${wasmPath})`, () => {
  let worker;
  let profile;
  before(async () => {
    worker = await startWorker();
    profile = mkdtempSync(join(tmpdir(), "patomic-chromium-"));
  });
  after(async () => {
    await worker?.mf.dispose();
    rmSync(profile, { recursive: true, force: true });
  });

  test("renders every route and error code, and the policy refuses nothing", async () => {
    const document = await (await worker.get("/v1/openapi.json")).json();
    const { stdout: dom, stderr } = await chromium(new URL("/docs", worker.url).href, profile);
    assert.match(dom, /<title>Patomic API [\d.]+<\/title>/);
    for (const [path, methods] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(methods)) {
        const article = dom.match(new RegExp(`<article id="${operation.operationId}">([\\s\\S]*?)</article>`));
        assert.ok(article, `${operation.operationId} is not rendered`);
        assert.ok(article[1].includes(`<span class="method">${method.toUpperCase()}</span><code>${path}</code>`), path);
        assert.ok(dom.includes(`href="#${operation.operationId}"`), `no link to ${operation.operationId}`);
      }
    for (const { code } of document["x-error-codes"]) assert.ok(dom.includes(`id="error-${code}"`), code);
    assert.doesNotMatch(stderr, /Content Security Policy|Refused to/);
  });
});
