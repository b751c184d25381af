/**
 * What tracking adds per routing decision: a keyword-like synchronous one-layer cascade,
 * routed with and without the tracker (JSONL store in a temp dir). Batches of the two
 * variants alternate so machine noise hits both alike.
 *
 *   pnpm bench overhead            (ROUTES=200000 to change the number of routes per variant)
 *
 * "hot path" = time inside routeSync() (conversion + serialisation + buffering happen there);
 * "amortised" = wall and CPU time (all threads) of all routes plus the batch writes, divided
 * by the routes, so serialising and writing are paid for too.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createCascade, type Layer, type Verdict } from "@moe-router/core";
import { createTracker, jsonlStore } from "@moe-router/tracker";

const RULES: Record<string, readonly string[]> = {
  "security-master": ["security", "vulnerability", "auth", "authentication", "cve", "leak", "mfa"],
  "cicd-master": ["deploy", "pipeline", "release", "rollback", "build", "ci"],
  "inventory-master": ["inventory", "catalog", "dependency", "dependencies", "document"],
  "development-master": ["implement", "refactor", "bug", "feature", "tests", "endpoint"],
};

/** A small keyword rule layer, like the prototype's first layer. */
function keywordLike(): Layer {
  const index = new Map<string, string>();
  for (const [expert, words] of Object.entries(RULES)) for (const word of words) index.set(word, expert);
  return {
    name: "keyword",
    route(task): Verdict {
      const scores = new Map<string, number>();
      const matched: string[] = [];
      for (const word of task.description.toLowerCase().split(/[^a-z0-9]+/)) {
        const expert = index.get(word);
        if (expert) {
          scores.set(expert, (scores.get(expert) ?? 0) + 1);
          matched.push(word);
        }
      }
      let best = "coordinator-master";
      let top = 0;
      for (const [expert, score] of scores) if (score > top) [best, top] = [expert, score];
      return { expert: best, confidence: top === 0 ? 0 : Math.min(0.99, 0.75 + 0.12 * top), details: { rule_used: best, matched_keywords: matched } };
    },
  };
}

const TASKS = [
  "Fix authentication bug in login system",
  "Deploy API to production",
  "Catalog all dependencies of the web app",
  "Implement dark mode in the settings page",
  "Plan the team offsite",
  "Rotate the leaked API keys for billing",
  "Fix the failing release pipeline",
];

const ROUTES = Number(process.env.ROUTES ?? 200_000);
const BATCH = 1_000;

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "moe-bench-overhead-"));
  const path = join(dir, "events.jsonl");
  const store = jsonlStore({ path });
  const tracker = createTracker({ store });
  const plain = createCascade({ layers: [{ layer: keywordLike(), threshold: 0.85 }] });
  const tracked = createCascade({ layers: [{ layer: keywordLike(), threshold: 0.85 }], observers: [tracker] });
  const variants = [
    { name: "no tracker", cascade: plain, samples: new Float64Array(ROUTES), wallMs: 0, cpuMs: 0 },
    { name: "tracker (JSONL)", cascade: tracked, samples: new Float64Array(ROUTES), wallMs: 0, cpuMs: 0 },
  ];
  // Warm up both paths (JIT) before measuring.
  for (let i = 0; i < 20_000; i++) for (const v of variants) v.cascade.routeSync({ description: TASKS[i % TASKS.length]! });
  await tracker.flush();
  for (let done = 0; done < ROUTES; done += BATCH) {
    for (const variant of variants) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let i = done; i < done + BATCH; i++) {
        const t0 = performance.now();
        variant.cascade.routeSync({ id: `t${i}`, description: TASKS[i % TASKS.length]!, metadata: { priority: "medium" } });
        variant.samples[i] = performance.now() - t0;
      }
      // Let the scheduled batch write run (it is part of the tracker's cost).
      if (variant.cascade === tracked) await tracker.flush();
      else await new Promise((resolve) => setImmediate(resolve));
      variant.wallMs += performance.now() - started;
      const used = process.cpuUsage(cpu);
      // All threads of the process: the libuv threads doing the writes included.
      variant.cpuMs += (used.user + used.system) / 1000;
    }
  }
  await tracker.close();
  const [base, withTracker] = variants as [(typeof variants)[0], (typeof variants)[0]];
  const rows = variants.map((v) => ({
    variant: v.name,
    routes: ROUTES,
    "median µs": (median(v.samples) * 1000).toFixed(2),
    "p99 µs": (percentile(v.samples, 0.99) * 1000).toFixed(2),
    "amortised wall µs/route": ((v.wallMs / ROUTES) * 1000).toFixed(2),
    "amortised CPU µs/route": ((v.cpuMs / ROUTES) * 1000).toFixed(2),
  }));
  console.log(`tracking overhead, ${ROUTES} routes per variant, keyword-like sync layer, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  console.table(rows);
  const addedMedian = (median(withTracker.samples) - median(base.samples)) * 1000;
  const addedWall = ((withTracker.wallMs - base.wallMs) / ROUTES) * 1000;
  const addedCpu = ((withTracker.cpuMs - base.cpuMs) / ROUTES) * 1000;
  console.log(
    `added by tracking: median ${addedMedian.toFixed(2)} µs per decision on the hot path (target < 10 µs); amortised incl. batched writes: ${addedCpu.toFixed(2)} µs CPU, ${addedWall.toFixed(2)} µs wall`,
  );
  console.log(`log written: ${(statSync(path).size / 2 ** 20).toFixed(1)} MiB, ${tracker.stats().store.written} records, ${tracker.stats().store.failed + tracker.stats().store.dropped} lost`);
  rmSync(dir, { recursive: true, force: true });
  if (!(addedMedian < 10)) process.exitCode = 1;
}

await main();
