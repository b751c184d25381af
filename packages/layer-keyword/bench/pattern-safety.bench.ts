/**
 * Shows why the pattern checks exist and that they hold: worst-case time of patterns the
 * layer accepts, on adversarial inputs at the default cap (500 characters), next to the
 * time the refused shapes take on much shorter inputs when run as plain RegExps.
 *
 * Run: `pnpm bench pattern-safety`.
 */
import { keywordLayer } from "../src/index.js";

const CAP = 500;

function accepted(pattern: RegExp): boolean {
  try {
    keywordLayer({ rules: [{ name: "p", expert: "e", confidence: 1, patterns: [pattern] }] });
    return true;
  } catch {
    return false;
  }
}

/** Median of a few timed runs of `regex.test(input)`, in ms (one run when it is slow). */
function timeTest(regex: RegExp, input: string): number {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    regex.test(input);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (times[0]! > 200) break;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const cases: { pattern: RegExp; input: string }[] = [
  // accepted shapes, adversarial inputs of the full cap
  { pattern: /deploy.*prod/i, input: "deploy".repeat(CAP / 6) },
  { pattern: /^.*a.*b$/, input: "a".repeat(CAP) },
  { pattern: /\w+@\w+\.\w+/, input: "a".repeat(CAP) },
  { pattern: /\bCVE-\d{4}-\d{4,7}\b/i, input: "CVE-2024-".repeat(CAP / 9) },
  { pattern: /(?=.*urgent).*deploy/, input: "urgen".repeat(CAP / 5) },
  { pattern: /deploy.{0,60}prod.{0,60}env/i, input: "deployprod".repeat(CAP / 10) },
  // refused shapes, on shorter inputs than the cap
  { pattern: /(a+)+$/, input: `${"a".repeat(20)}!` },
  { pattern: /(x|x)*y/, input: "x".repeat(20) },
  { pattern: /\d+\d+x/, input: "1".repeat(300) },
  { pattern: /.*a.*b.*c/, input: "ab".repeat(100) },
];

const rows = cases.map(({ pattern, input }) => ({
  pattern: String(pattern),
  "layer accepts": accepted(pattern) ? "yes" : "no (refused)",
  "input chars": input.length,
  "worst-case ms": timeTest(pattern, input).toFixed(3),
}));
console.log(`Pattern worst cases (Node ${process.version}, default maxPatternInputLength ${CAP})`);
console.table(rows);
const slowAccepted = rows.filter((row) => row["layer accepts"] === "yes" && Number(row["worst-case ms"]) > 50);
if (slowAccepted.length > 0) {
  console.log(`accepted patterns slower than 50 ms: ${slowAccepted.map((row) => row.pattern).join(", ")}`);
  process.exitCode = 1;
}
