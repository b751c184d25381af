/**
 * Per-route latency of a keyword-only cascade (core's createCascade + this layer),
 * for the default rules and for 1,000 generated rules, through routeSync and route.
 * Targets: median under 20 µs (default rules) and under 50 µs (1,000 rules).
 *
 * Run: `pnpm bench layer-keyword` (or `node --import tsx --conditions=moe-router-source
 * packages/layer-keyword/bench/cascade.bench.ts`).
 */
import { Bench } from "tinybench";
import { createCascade, type Layer, seededRandom } from "@moe-router/core";
import { DEFAULT_RULES, keywordLayer, type KeywordRule } from "../src/index.js";

const EXPERTS = ["security-master", "cicd-master", "inventory-master", "development-master"];

const random = seededRandom;

const SYLLABLES = ["ka", "lo", "mer", "vin", "tra", "zu", "pel", "dor", "qui", "sen", "bar", "nox", "fil", "rum", "gat", "hex"];

function generateRules(count: number, seed = 7): { rules: KeywordRule[]; words: string[] } {
  const next = random(seed);
  const seen = new Set<string>();
  const word = () => {
    for (;;) {
      let text = "";
      const syllables = 2 + Math.floor(next() * 3);
      for (let i = 0; i < syllables; i++) text += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
      // Words ending in s/e/ed/ing would be stemmed into each other; keep them distinct.
      if (!seen.has(text) && !/(s|e|ed|ing)$/.test(text)) {
        seen.add(text);
        return text;
      }
    }
  };
  const words: string[] = [];
  const rules = Array.from({ length: count }, (_, i): KeywordRule => {
    const keywords = [word(), word(), word(), word()];
    words.push(...keywords);
    return {
      name: `generated-${i}`,
      expert: EXPERTS[i % EXPERTS.length]!,
      confidence: 0.8 + Math.round(next() * 15) / 100,
      keywords,
      phrases: [`${word()} ${word()}`],
    };
  });
  return { rules, words };
}

const ENGLISH_TASKS = [
  "Fix authentication bug in login system",
  "Deploy API to production",
  "Run a security audit of the payment service",
  "Catalog all dependencies of the web app",
  "Update latest docs",
  "Set up the CI/CD pipeline for the mobile client and run the integration tests",
  "Refactor the billing module and implement the new invoice feature",
  "Scan container images for known vulnerabilities (CVE-2024-3094)",
  "Hello",
  "Can you help me understand why the nightly build keeps failing on the release branch?",
  "Document the inventory of services owned by the platform team",
  "Rotate the leaked API keys for the billing service",
];

function tasksWith(words: readonly string[], seed = 11): string[] {
  const next = random(seed);
  const pick = () => words[Math.floor(next() * words.length)]!;
  // Half plain English (mostly misses for generated rules), half carrying generated words.
  return ENGLISH_TASKS.flatMap((text) => [text, `${text} ${pick()} and ${pick()}`]);
}

interface Scenario {
  readonly label: string;
  readonly layer: Layer;
  readonly tasks: readonly string[];
  readonly targetUs: number;
}

const generated = generateRules(1_000);
const buildStarted = performance.now();
const bigLayer = keywordLayer({ rules: generated.rules });
const buildMs = performance.now() - buildStarted;
const scenarios: Scenario[] = [
  { label: "default rules", layer: keywordLayer(), tasks: ENGLISH_TASKS, targetUs: 20 },
  { label: "1,000 rules", layer: bigLayer, tasks: tasksWith(generated.words), targetUs: 50 },
];

const bench = new Bench({ name: "keyword-only cascade, per route", time: 1_500, warmupTime: 300 });
const targets = new Map<string, number>();
for (const { label, layer, tasks, targetUs } of scenarios) {
  const cascade = createCascade({ layers: [{ layer, threshold: 0.85 }] });
  const context = { eventId: "bench" };
  let i = 0;
  bench.add(`${label}: layer.route only`, () => {
    layer.route({ description: tasks[i++ % tasks.length]! }, context);
  });
  bench.add(`${label}: cascade.routeSync`, () => {
    cascade.routeSync({ description: tasks[i++ % tasks.length]! });
  });
  bench.add(`${label}: cascade.route (await)`, async () => {
    await cascade.route({ description: tasks[i++ % tasks.length]! });
  });
  targets.set(`${label}: cascade.routeSync`, targetUs);
  targets.set(`${label}: cascade.route (await)`, targetUs);
}

await bench.run();
console.log(`${bench.name} (Node ${process.version}, ${DEFAULT_RULES.length} default rules, ${generated.rules.length} generated rules)`);
console.table(bench.table());
console.log(`Building the layer with 1,000 rules (5,000 terms, cold) took ${buildMs.toFixed(1)} ms.`);

const summary = bench.tasks.map((task) => {
  const result = task.result;
  const latency = "latency" in result ? result.latency : undefined;
  const target = targets.get(task.name);
  const medianUs = latency ? latency.p50 * 1_000 : Number.NaN;
  return {
    task: task.name,
    "median µs": medianUs.toFixed(2),
    "p99 µs": latency ? (latency.p99 * 1_000).toFixed(2) : "n/a",
    samples: latency?.samplesCount ?? 0,
    target: target === undefined ? "" : `< ${target} µs`,
    verdict: target === undefined ? "" : medianUs < target ? "met" : "MISSED",
  };
});
console.log("\nMedian and p99 per route (µs):");
console.table(summary);
if (summary.some((row) => row.verdict === "MISSED")) process.exitCode = 1;
