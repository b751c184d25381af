/**
 * Per-route latency of the default cascade (no config: keyword -> semantic over the built-in
 * exemplars, hashed embedder, tracking off), the figure issue 16 keeps under 5 ms at p50.
 * 2,000 routes of the demo-like tasks below after 200 warm-up routes; wall and CPU time.
 *
 *   pnpm bench default-cascade
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG, buildRouter } from "@moe-router/cli";

const tasks = [
  "Fix authentication bug in login system",
  "Deploy API to production",
  "Run a security audit of the payment service",
  "Catalog all dependencies of the web app",
  "Update the nightly release pipeline",
  "Rotate the leaked API keys",
  "Plan the next quarter's roadmap",
  "Add pagination to the orders endpoint",
  "List every service that uses log4j",
];
const dataDir = mkdtempSync(join(tmpdir(), "default-cascade-"));
const router = await buildRouter({ ...DEFAULT_CONFIG, dataDir, tracking: { enabled: false } }, { cwd: dataDir });
const times: number[] = [];
const cpuStart = process.cpuUsage();
for (let i = 0; i < 2200; i++) {
  const started = performance.now();
  await router.cascade.route({ description: tasks[i % tasks.length]! });
  if (i >= 200) times.push(performance.now() - started);
}
const cpu = process.cpuUsage(cpuStart);
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);
console.log(
  `default cascade (${router.layers.map((l) => l.name).join(" -> ")}): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms over ${times.length} routes; CPU ${((cpu.user + cpu.system) / 1000 / 2200).toFixed(3)} ms/route; load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
await router.close();
rmSync(dataDir, { recursive: true, force: true });
