/**
 * The sample logs the tracker's benches share: `count` decisions (with outcomes, ~1.2 KB an
 * event) from generateSampleRecords (seed 11, 60 days to 2026-01-01), written once under the
 * temp directory and reused by later runs (MOE_BENCH_FRESH=1 regenerates).
 */
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSampleRecords } from "../src/index.js";

/** The end of the sample logs' time range. */
export const SAMPLE_END = new Date("2026-01-01T00:00:00.000Z");

/** Path of the sample log of `count` events, written first when missing. */
export async function sampleLog(count: number): Promise<string> {
  const dir = join(tmpdir(), "moe-analyze-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events-${count}.jsonl`);
  const done = `${path}.done`;
  if (existsSync(done) && !process.env.MOE_BENCH_FRESH) return path;
  const started = performance.now();
  const out = createWriteStream(path);
  let batch: string[] = [];
  for (const record of generateSampleRecords({ count, seed: 11, days: 60, end: SAMPLE_END })) {
    batch.push(JSON.stringify(record));
    if (batch.length === 2000) {
      if (!out.write(`${batch.join("\n")}\n`)) await once(out, "drain");
      batch = [];
    }
  }
  if (batch.length) out.write(`${batch.join("\n")}\n`);
  out.end();
  await once(out, "finish");
  writeFileSync(done, "");
  console.log(`generated ${count.toLocaleString("en-US")} events in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${path}`);
  return path;
}
