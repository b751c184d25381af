import { ErrorCode, MoeRouterError } from "../errors.js";
import type { Verdict } from "../types.js";

/**
 * Checks a verdict against the contract; returns a coded error describing the first
 * problem, or undefined when the verdict is well formed.
 */
export function checkVerdict(verdict: unknown, layerName: string, experts: ReadonlySet<string> | undefined): MoeRouterError | undefined {
  const fail = (why: string) => new MoeRouterError(ErrorCode.MALFORMED_VERDICT, `Layer "${layerName}" returned a malformed verdict: ${why}.`, { data: { layer: layerName } });
  if (verdict === null || typeof verdict !== "object") return fail(`expected an object { expert, confidence }, got ${verdict === null ? "null" : typeof verdict}`);
  const { expert, confidence, probabilities } = verdict as Verdict;
  if (typeof expert !== "string" || expert.length === 0) return fail("expert must be a non-empty string");
  if (typeof confidence !== "number" || Number.isNaN(confidence)) return fail(`confidence must be a number, got ${String(confidence)}`);
  if (confidence < 0 || confidence > 1) return fail(`confidence must be in [0,1], got ${confidence}`);
  if (experts && !experts.has(expert)) return fail(`unknown expert "${expert}" (declared experts: ${[...experts].join(", ")})`);
  if (probabilities !== undefined) {
    if (probabilities === null || typeof probabilities !== "object") return fail("probabilities must be an object of expert -> number");
    for (const key in probabilities) {
      const p = probabilities[key];
      if (typeof p !== "number" || !(p >= 0 && p <= 1)) return fail(`probabilities["${key}"] must be in [0,1], got ${String(p)}`);
    }
  }
  return undefined;
}
