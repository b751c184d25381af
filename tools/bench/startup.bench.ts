/**
 * Start-up of the `moe-router` process (issue 11): a whole `moe-router route --no-track "..."`
 * against a bare `node -e 0`, runs alternated so load changes hit every command alike.
 * Commands: the keyword-only config (the 1.5x target), the embedded default config (keyword ->
 * semantic; its calibration persisted by a warm-up run), and `moe-router --help`.
 * Prints the median wall time, the mean CPU time (user + system of the child, from
 * /proc/self/stat), the ratio of each to `node -e 0`'s, and the load average.
 * Needs a build (`pnpm build`): it runs packages/cli/dist/bin.js.
 *
 *   pnpm bench startup                     # 21 runs of each
 *   MOE_BENCH_RUNS=51 pnpm bench startup
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(root, "packages/cli/dist/bin.js");
if (!existsSync(bin)) throw new Error(`${bin} is missing: run pnpm build first.`);
const runs = Number(process.env.MOE_BENCH_RUNS ?? 21);
const work = mkdtempSync(join(tmpdir(), "moe-startup-"));
writeFileSync(join(work, "keyword.json"), JSON.stringify({ layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }], tracking: { enabled: false } }));
const task = "Deploy the API to production";

interface Subject {
  readonly name: string;
  readonly args: readonly string[];
}
const subjects: Subject[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "route --no-track, keyword config", args: [bin, "route", "--no-track", "--config", "keyword.json", task] },
  { name: "route --no-track, default config (keyword -> semantic)", args: [bin, "route", "--no-track", task] },
  { name: "--help", args: [bin, "--help"] },
];

/** CPU seconds of the reaped children of this process (cutime + cstime), or undefined off Linux. */
function childrenCpu(): number | undefined {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    // After the command name: state is field 3, so cutime (16) and cstime (17) sit at 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function run(subject: Subject): { wall: number; cpu: number | undefined } {
  const cpuBefore = childrenCpu();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, subject.args, { cwd: work, encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuAfter = childrenCpu();
  if (result.status !== 0) throw new Error(`${subject.name} exited ${result.status}: ${result.stderr}`);
  return { wall, cpu: cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) * 1000 : undefined };
}

// Warm-up: the file system cache, and the semantic layer's persisted vectors and calibration.
for (const subject of subjects) run(subject);
const persisted = existsSync(join(work, ".moe-router")) ? readdirSync(join(work, ".moe-router")) : [];
const loadBefore = loadavg();
const walls = subjects.map(() => [] as number[]);
const cpus = subjects.map(() => [] as number[]);
for (let i = 0; i < runs; i++) {
  subjects.forEach((subject, index) => {
    const { wall, cpu } = run(subject);
    walls[index]!.push(wall);
    if (cpu !== undefined) cpus[index]!.push(cpu);
  });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);
const peerWall = median(walls[0]!);
const peerCpu = mean(cpus[0]!);
console.log(`moe-router start-up, ${runs} alternated runs each (Node ${process.version}); persisted in the data directory: ${persisted.join(", ") || "nothing"}`);
subjects.forEach((subject, index) => {
  const wall = median(walls[index]!);
  const cpu = mean(cpus[index]!);
  console.log(
    `${subject.name.padEnd(56)} wall median ${wall.toFixed(1).padStart(6)} ms (${(wall / peerWall).toFixed(2)}x)  CPU mean ${Number.isNaN(cpu) ? "n/a" : `${cpu.toFixed(1).padStart(6)} ms (${(cpu / peerCpu).toFixed(2)}x)`}`,
  );
});
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
rmSync(work, { recursive: true, force: true });
