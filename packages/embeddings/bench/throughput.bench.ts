/**
 * Speed of the hashed embedder and the cache: embeddings per second and microseconds per
 * short text (a routing task is a short sentence). Plain timing: each case runs in 9 rounds
 * of ~200 ms and the median round is reported, so a burst of load from other processes on a
 * shared machine moves the figure less than a mean over all calls would.
 * Run: `pnpm bench embeddings/bench/throughput`.
 */
import { cachedEmbedder, hashedEmbedder } from "../src/index.js";

const tasks = [
  "Fix authentication bug in login system",
  "Deploy API to production",
  "Check inventory levels for warehouse 3",
  "Refactor the payment service to use async handlers",
  "Rotate the database credentials after the security audit",
  "Why was my card declined at the supermarket yesterday?",
  "set an alarm for seven tomorrow morning",
  "The CI pipeline fails on the integration tests since Monday",
];

/** Median over rounds of the mean time per call (ms). */
function measure(call: () => void, rounds = 9, roundMs = 200): number {
  for (let i = 0; i < 200; i++) call(); // warm-up: let the JIT optimise first
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < roundMs) {
      for (let k = 0; k < 50; k++) call();
      calls += 50;
      now = performance.now();
    }
    perCall.push((now - start) / calls);
  }
  return perCall.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
}

const fitted = hashedEmbedder();
fitted.fitIdf(tasks);
const wordsOnly = hashedEmbedder({ charNgrams: false });
wordsOnly.fitIdf(tasks);
const cached = cachedEmbedder(fitted, { maxEntries: 100 });
cached.embed(tasks);
let i = 0;
const next = () => tasks[i++ % tasks.length]!;

const cases: [name: string, textsPerCall: number, call: () => void][] = [
  ["hashed d1024 w1-2 c3-5 + IDF, 1 text/call", 1, () => void fitted.embed([next()])],
  ["hashed d1024 w1-2 c3-5 + IDF, 8 texts/call", 8, () => void fitted.embed(tasks)],
  ["hashed d1024 w1-2 (charNgrams: false), 1 text/call", 1, () => void wordsOnly.embed([next()])],
  ["cachedEmbedder(hashed), hit, 1 text/call", 1, () => void cached.embed([next()])],
];
const meanLength = tasks.reduce((n, t) => n + t.length, 0) / tasks.length;
console.log(`texts: ${tasks.length} routing-style sentences, mean ${meanLength.toFixed(0)} characters`);
console.table(
  cases.map(([name, texts, call]) => {
    const ms = measure(call);
    return {
      case: name,
      "µs per text": ((ms * 1000) / texts).toFixed(2),
      "embeddings/sec": Math.round((1000 / ms) * texts).toLocaleString("en"),
    };
  }),
);
