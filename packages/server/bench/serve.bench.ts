/**
 * `pnpm bench serve`: the HTTP service under load, side by side with the same cascade called
 * in-process. For the keyword-only and the embedded default cascade, with durable tracking
 * (JSONL): throughput and p50/p99 latency at 1, 16 and 64 concurrent connections.
 *
 * - HTTP: the real `moe-router serve` in its own process on 127.0.0.1 (port 0), driven by an
 *   undici Pool with N keep-alive connections (closed loop: each connection sends its next
 *   request when the previous answer is read). A 200 means the decision is durable.
 * - peer: a bare fastify server (bare-fastify.ts: same route, request schema and reply size; no
 *   routing, no store, no metrics), driven the same way. It is the HTTP floor of this machine;
 *   the figure to cut is the server's CPU per request over it.
 * - in-process: the same config through openRouter() in this process, N concurrent loops of
 *   `route()` then a group-committed `flush()` (the same durability, no HTTP), and, at
 *   concurrency 1, plain `route()` (tracking buffered, not yet durable) as the floor.
 *
 * Bounded: each run stops after MOE_BENCH_COUNT requests (default 20,000) or MOE_BENCH_SECONDS
 * (default 4) seconds. Runs alternate HTTP and in-process and repeat MOE_BENCH_ROUNDS times
 * (default 3); medians are printed. Loopback only. The load average is printed because the
 * machine may be shared; CPU seconds of client and server are printed beside wall time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openRouter, type Router } from "@moe-router/router";
import { Pool } from "undici";
import { median, processCpuSeconds, runLoad, type LoadResult } from "./load.js";
import { GroupCommit } from "../src/internal/group-commit.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const COUNT = Number(process.env.MOE_BENCH_COUNT ?? 20_000);
const SECONDS = Number(process.env.MOE_BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.MOE_BENCH_ROUNDS ?? 3);
const CONCURRENCY = (process.env.MOE_BENCH_CONCURRENCY ?? "1,16,64").split(",").map(Number);
const CASCADES = (process.env.MOE_BENCH_CASCADES ?? "keyword,default").split(",");

const TASKS = [
  "Deploy API to production",
  "Fix authentication bug in login system",
  "Run a security audit of the payment service",
  "Scan the container images for CVE-2024-3094",
  "Catalog every service and its owner in the inventory",
  "The nightly pipeline is failing on the integration tests",
  "Implement dark mode for the settings page",
  "Rotate the leaked database credentials",
  "Roll back yesterday's release on the staging cluster",
  "Which repositories still use the deprecated logging library?",
  "Add rate limiting to the public REST endpoints",
  "Plan the team offsite agenda",
  "Check whether the TLS certificates expire this month",
  "Upgrade the Kubernetes cluster to the next minor version",
  "Write unit tests for the invoice generator",
  "List all databases that hold customer data",
];

interface Setup {
  readonly name: string;
  /** Config file for serve / openRouter (undefined: the embedded default). */
  readonly configFile: string | undefined;
  readonly dir: string;
}

function setup(name: string): Setup {
  const dir = mkdtempSync(join(tmpdir(), `moe-bench-serve-${name}-`));
  if (name === "keyword") {
    const configFile = join(dir, "keyword.json");
    writeFileSync(configFile, JSON.stringify({ layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }], tracking: { store: join(dir, "events.jsonl") } }));
    return { name, configFile, dir };
  }
  return { name, configFile: undefined, dir };
}

const TSX = pathToFileURL(createRequire(join(root, "package.json")).resolve("tsx")).href;

function startServe(s: Setup, store: string): Promise<{ child: ChildProcess; url: string }> {
  const args = ["--import", TSX, "--conditions=moe-router-source", join(root, "packages/cli/src/bin.ts"), "serve", "--port", "0", "--log-level", "warn", "--store", store];
  if (s.configFile) args.push("--config", s.configFile);
  return startChild(args, s.dir);
}

/** The bare fastify peer (bare-fastify.ts). */
function startPeer(dir: string): Promise<{ child: ChildProcess; url: string }> {
  return startChild(["--import", TSX, fileURLToPath(new URL("./bare-fastify.ts", import.meta.url))], dir);
}

async function startChild(args: string[], cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, MOE_ROUTER_TOKEN: "" } });
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${text}`)), 60_000);
    child.stderr.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
  });
  return { child, url };
}

async function stopServe(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** The group commit's counters from the server's /metrics (undefined for the peer). */
async function ackCounters(pool: Pool): Promise<{ requests: number; flushes: number } | undefined> {
  const response = await pool.request({ path: "/metrics", method: "GET" });
  const text = await response.body.text();
  if (response.statusCode !== 200) return undefined;
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
  return { requests: read("moe_router_ack_requests_total"), flushes: read("moe_router_ack_flushes_total") };
}

type HttpResult = LoadResult & { serverCpuSeconds: number | undefined; perFlush: number | undefined };

async function httpRun(url: string, connections: number, pid: number): Promise<HttpResult> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const bodies = TASKS.map((description) => JSON.stringify({ description }));
  const send = async (i: number) => {
    const response = await pool.request({ path: "/v1/route", method: "POST", headers: { "content-type": "application/json" }, body: bodies[i % bodies.length]! });
    await response.body.text();
    return response.statusCode === 200;
  };
  // Warm-up: JIT, connections, caches.
  await runLoad({ connections, count: 500, maxMs: 2000, send });
  const acksBefore = await ackCounters(pool);
  const cpuBefore = processCpuSeconds(pid, (p) => readFileSync(p, "utf8"));
  const result = await runLoad({ connections, count: COUNT, maxMs: SECONDS * 1000, send });
  const cpuAfter = processCpuSeconds(pid, (p) => readFileSync(p, "utf8"));
  const acksAfter = await ackCounters(pool);
  await pool.close();
  const perFlush = acksBefore && acksAfter ? (acksAfter.requests - acksBefore.requests) / (acksAfter.flushes - acksBefore.flushes) : undefined;
  return { ...result, serverCpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined, perFlush };
}

async function inProcessRun(router: Router, connections: number, durable: boolean): Promise<LoadResult> {
  const commit = new GroupCommit(() => router.flush());
  const send = async (i: number) => {
    await router.route({ description: TASKS[i % TASKS.length]!, metadata: { priority: "medium" } });
    if (durable) await commit.commit();
    return true;
  };
  await runLoad({ connections, count: 500, maxMs: 2000, send });
  const result = await runLoad({ connections, count: COUNT, maxMs: SECONDS * 1000, send });
  await router.flush();
  return result;
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : ""}${value.toFixed(0)}`;
}

function fmt(r: { perSecond: number; p50Ms: number; p99Ms: number }): string {
  return `${Math.round(r.perSecond).toString().padStart(7)}/s  p50 ${(r.p50Ms * 1000).toFixed(0).padStart(6)} µs  p99 ${(r.p99Ms * 1000).toFixed(0).padStart(6)} µs`;
}

function medianOf<T extends { perSecond: number; p50Ms: number; p99Ms: number }>(runs: readonly T[]): { perSecond: number; p50Ms: number; p99Ms: number } {
  return { perSecond: median(runs.map((r) => r.perSecond)), p50Ms: median(runs.map((r) => r.p50Ms)), p99Ms: median(runs.map((r) => r.p99Ms)) };
}

async function main(): Promise<void> {
  console.log(
    `serve benchmark: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, ${ROUNDS} rounds, each run <= ${COUNT} requests / ${SECONDS} s`,
  );
  for (const name of CASCADES) {
    const s = setup(name);
    try {
      const router = await openRouter({ ...(s.configFile ? { config: s.configFile } : {}), cwd: s.dir, store: join(s.dir, "in-process.jsonl") });
      const server = await startServe(s, join(s.dir, "http.jsonl"));
      const peer = await startPeer(s.dir);
      console.log(`\n${name} cascade (${router.cascade.layerNames.join(" -> ")}), durable JSONL tracking`);
      try {
        for (const connections of CONCURRENCY) {
          const http: HttpResult[] = [];
          const bare: HttpResult[] = [];
          const local: LoadResult[] = [];
          const buffered: LoadResult[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            http.push(await httpRun(server.url, connections, server.child.pid!));
            bare.push(await httpRun(peer.url, connections, peer.child.pid!));
            local.push(await inProcessRun(router, connections, true));
            if (connections === 1) buffered.push(await inProcessRun(router, connections, false));
          }
          const h = medianOf(http);
          const l = medianOf(local);
          const cpuPerRequest = median(http.map((r) => ((r.serverCpuSeconds ?? Number.NaN) + r.clientCpuSeconds) / r.requests)) * 1e6;
          const serverCpu = median(http.map((r) => (r.serverCpuSeconds ?? Number.NaN) / r.requests)) * 1e6;
          const p = medianOf(bare);
          const peerCpu = median(bare.map((r) => (r.serverCpuSeconds ?? Number.NaN) / r.requests)) * 1e6;
          const perFlush = median(http.map((r) => r.perFlush ?? Number.NaN));
          console.log(
            `  c=${String(connections).padEnd(3)} HTTP       ${fmt(h)}   errors ${http.reduce((a, r) => a + r.errors, 0)}   CPU/request: server ${serverCpu.toFixed(0)} µs, server+client ${cpuPerRequest.toFixed(0)} µs   ${perFlush.toFixed(1)} requests per store flush   load ${loadavg()[0]!.toFixed(1)}`,
          );
          console.log(
            `        peer       ${fmt(p)}   (bare fastify: no route, no store)   CPU/request: server ${peerCpu.toFixed(0)} µs   serve/peer: throughput ${(h.perSecond / p.perSecond).toFixed(2)}x, server CPU ${(serverCpu / peerCpu).toFixed(2)}x (${signed(serverCpu - peerCpu)} µs), p50 ${signed((h.p50Ms - p.p50Ms) * 1000)} µs`,
          );
          console.log(`        in-process ${fmt(l)}   (route + group-committed flush)   HTTP/in-process throughput ${(h.perSecond / l.perSecond).toFixed(2)}x`);
          if (connections === 1) {
            const b = medianOf(buffered);
            console.log(`        in-process ${fmt(b)}   (route only, tracking buffered)`);
            console.log(
              `        HTTP + durable tracking adds ${((h.p50Ms - b.p50Ms) * 1000).toFixed(0)} µs median over in-process route; durability alone ${((l.p50Ms - b.p50Ms) * 1000).toFixed(0)} µs`,
            );
          }
        }
      } finally {
        await stopServe(server.child);
        await stopServe(peer.child);
        await router.close();
      }
    } finally {
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
  console.log(
    `\nload average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

await main();
