// The peer half of scripts/bench (`scripts/bench peers`): ../shared/peers/compare.mjs, the seed
// architecture's own stack in TypeScript, when that yardstick is beside this checkout. It runs on
// a copy of the yardstick (its npm packages installed and both builds bundled there, as its README
// says), against this checkout's wasi module. Returns the section for docs/benchmarks.md.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { root, startWorker } from "../../tests/integration/harness.mjs";

// The first request a freshly loaded Worker answers (a 404, timed from when it is ready to
// serve), `starts` fresh starts each, interleaved: this checkout against hono-tuned.
async function firstRequests(ref, starts = 7) {
  const { Miniflare } = await import("miniflare");
  const discard = (stdout, stderr) => { stdout.resume(); stderr.resume(); };
  const first = async (url) => {
    const start = performance.now();
    await (await fetch(new URL("/no-such-route", url))).arrayBuffer();
    return performance.now() - start;
  };
  const times = { patomic: [], "hono-tuned": [] };
  for (let i = 0; i < starts; i++) {
    const ours = await startWorker({ options: { handleRuntimeStdio: discard } });
    times.patomic.push(await first(ours.url));
    await ours.mf.dispose();
    const tuned = new Miniflare({ modules: true, scriptPath: join(ref, "dist/optimised.js"), modulesRoot: join(ref, "dist"),
      compatibilityDate: "2026-04-01", bindings: { PEPPER: "p", CURSOR_SECRET: "c" }, d1Databases: ["DB"], kvNamespaces: ["KV"],
      host: "127.0.0.1", port: 0, handleRuntimeStdio: discard });
    times["hono-tuned"].push(await first(await tuned.ready));
    await tuned.dispose();
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

export async function peersSection({ patents = 10000, seconds = 8, rounds = 3 } = {}) {
  const source = resolve(root, "../shared/peers");
  if (!existsSync(join(source, "compare.mjs"))) return "## Against the TypeScript peer, latest run\n\nNot measured: no `../shared/peers` beside this checkout.\n";
  const work = mkdtempSync(join(tmpdir(), "patomic-peers-"));
  try {
    const peers = join(work, "peers");
    cpSync(source, peers, { recursive: true });
    const ref = join(peers, "hono-ref");
    execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: ref, stdio: "ignore" });
    for (const build of ["index", "optimised"])
      execFileSync("npx", ["esbuild", `src/${build}.js`, "--bundle", "--format=esm", "--platform=neutral", "--main-fields=module,main",
                           `--outfile=dist/${build}.js`], { cwd: ref, stdio: "ignore" });
    const printed = execFileSync("node", [join(peers, "compare.mjs"), root, String(patents), String(seconds), String(rounds)],
                                 { cwd: root, encoding: "utf8" });
    // "list50  patomic 303 | hono-tuned 347 | hono-seed 172 | patomic/hono-tuned 0.87 | patomic/hono-seed 1.77"
    const rows = printed.split("\n").map((line) => line.match(/^(\S+)\s+patomic (\d+) \| hono-tuned (\d+) \| hono-seed (\d+) \| patomic\/hono-tuned ([\d.]+) \| patomic\/hono-seed ([\d.]+)/))
      .filter(Boolean).map(([, workload, ours, tuned, seed, toTuned, toSeed]) => `| ${workload} | ${ours} | ${tuned} | ${seed} | ${toTuned} | ${toSeed} |`);
    if (rows.length === 0) throw new Error(`compare.mjs printed no workload:\n${printed}`);
    const starts = 7;
    const firsts = await firstRequests(ref, starts);
    return `## Against the TypeScript peer, latest run

\`../shared/peers/compare.mjs\` (Hono + Zod on Workers, as designed and as tuned: see its README) and this checkout's wasi
module on one workerd, ${patents.toLocaleString("en")} patents each, \`wrk -t1 -c8 -d${seconds}s\`, ${rounds} interleaved rounds, medians in
requests/s; ratios below 1 mean the TypeScript peer is faster.

| workload | patomic | hono-tuned | hono-seed | patomic / hono-tuned | patomic / hono-seed |
|---|---|---|---|---|---|
${rows.join("\n")}

The first request of a freshly started Worker (a 404, timed from when workerd is ready to serve; for Patomic, after
its migrations, which do not go through the Worker), median of ${starts} fresh starts each, interleaved:
Patomic ${firsts.patomic.toFixed(1)} ms, hono-tuned ${firsts["hono-tuned"].toFixed(1)} ms.
`;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
