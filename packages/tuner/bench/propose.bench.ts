/**
 * Speed of `proposeThresholds` on synthetic tracked traces (3 layers, 10% shadow-sampled),
 * for both constraints: what `moe-router tune` costs once the events are read.
 */
import { proposeThresholds } from "../src/index.js";
import type { RouteTrace } from "../src/index.js";
import { seededRandom as mulberry32 } from "@moe-router/core";

const layers = ["keyword", "semantic", "neural"];
const current = { keyword: 0.85, semantic: 0.7, neural: 0.9 };

/** Each layer is right with probability ~ its confidence (calibrated); non-shadow traces stop at the decider. */
function traces(count: number): RouteTrace[] {
  const random = mulberry32(7);
  return Array.from({ length: count }, () => {
    const shadow = random() < 0.1;
    const attempts: Record<string, { errored: false; expert: string; confidence: number; latencyMs: number }> = {};
    let decided = false;
    for (const layer of layers) {
      if (decided && !shadow) break;
      const confidence = Math.round(random() * 1000) / 1000;
      const right = random() < confidence;
      attempts[layer] = { errored: false, expert: right ? "a" : "b", confidence, latencyMs: 1 };
      if (confidence >= current[layer as keyof typeof current]) decided = true;
    }
    return { attempts, shadow, truth: { expert: "a" } };
  });
}

const rows: Record<string, string>[] = [];
for (const count of [1_000, 10_000, 100_000]) {
  const data = traces(count);
  for (const constraint of ["layer", "cascade"] as const) {
    proposeThresholds(data, { layers, current, constraint }); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      proposeThresholds(data, { layers, current, constraint });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    rows.push({ traces: String(count), constraint, "median ms": times[2]!.toFixed(1), "min ms": times[0]!.toFixed(1) });
  }
}
console.table(rows);
