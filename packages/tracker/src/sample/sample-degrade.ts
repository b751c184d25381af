import { ErrorCode, MoeRouterError } from "@moe-router/core";

/**
 * A known degradation injected into generated sample events from a known time on, so alert
 * rules can be tested against the truth (`moe-router generate --degrade keyword:0.6@-24h`).
 */
export type SampleDegradation =
  /** The layer's answers are right with probability `value` (its accuracy), whatever its confidence. */
  | { readonly layer: string; readonly effect: "accuracy"; readonly value: number; readonly from: Date }
  /** A share `value` of the layer's live attempts error (MOE_LAYER_FAILED) and the cascade moves on. */
  | { readonly layer: string; readonly effect: "errors"; readonly value: number; readonly from: Date }
  /** The layer's latencies are multiplied by `value`. */
  | { readonly layer: string; readonly effect: "latency"; readonly value: number; readonly from: Date }
  /** A share `value` of tasks are vague (the cascade clarifies most of them). */
  | { readonly effect: "vague"; readonly value: number; readonly from: Date }
  /** A share `value` of tasks are for `expert` (the expert mix shifts). */
  | { readonly effect: "mix"; readonly expert: string; readonly value: number; readonly from: Date }
  /** Outcomes are reported for a share `value` of decisions (instead of `outcomeShare`). */
  | { readonly effect: "outcomes"; readonly value: number; readonly from: Date };

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const GRAMMAR =
  'LAYER:ACCURACY, LAYER:errors=SHARE, LAYER:latency=FACTOR (e.g. latency=3 or latency=x3), tasks:vague=SHARE, tasks:outcomes=SHARE or tasks:EXPERT=SHARE, then @-24h (before --end) or @ISO-TIME; e.g. "keyword:0.6@-24h"';

function invalid(spec: string, why: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `--degrade "${spec}": ${why}. Use ${GRAMMAR}.`);
}

function share(spec: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !(value >= 0 && value <= 1)) throw invalid(spec, `"${text}" is not a share in [0,1]`);
  return value;
}

/**
 * Reads a degradation spec: `keyword:0.6@-24h` (keyword's accuracy 0.6 from 24 hours before
 * `end`), `semantic:errors=0.05@-2h`, `rag:latency=x3@2026-11-20T10:00:00Z`, `tasks:vague=0.5@-6h`,
 * `tasks:outcomes=0.2@-12h`, `tasks:security-master=0.6@-1d`.
 * @throws MoeRouterError INVALID_CONFIG saying what is wrong and the grammar.
 */
export function parseDegradation(spec: string, end: Date): SampleDegradation {
  const match = /^([^:@\s]+):([^@\s]+)@(\S+)$/.exec(typeof spec === "string" ? spec.trim() : "");
  if (!match) throw invalid(String(spec), "it is not TARGET:EFFECT@WHEN");
  const [, target, effect, when] = match as unknown as [string, string, string, string];
  const relative = /^-(\d+(?:\.\d+)?)([mhd])$/.exec(when);
  const from = relative ? new Date(end.getTime() - Number(relative[1]) * UNITS[relative[2]!]!) : new Date(when);
  if (!Number.isFinite(from.getTime())) throw invalid(spec, `"${when}" is neither -N(m|h|d) nor an ISO time`);
  const [key, value] = effect.includes("=") ? (effect.split("=", 2) as [string, string]) : ["accuracy", effect];
  if (target === "tasks") {
    if (key === "vague") return { effect: "vague", value: share(spec, value), from };
    if (key === "outcomes") return { effect: "outcomes", value: share(spec, value), from };
    if (key === "accuracy") throw invalid(spec, "tasks takes vague=SHARE, outcomes=SHARE or EXPERT=SHARE");
    return { effect: "mix", expert: key, value: share(spec, value), from };
  }
  if (key === "accuracy") return { layer: target, effect: "accuracy", value: share(spec, value), from };
  if (key === "errors") return { layer: target, effect: "errors", value: share(spec, value), from };
  if (key === "latency") {
    const factor = Number(value.replace(/^x/, ""));
    if (!(factor > 0 && Number.isFinite(factor))) throw invalid(spec, `"${value}" is not a latency factor > 0`);
    return { layer: target, effect: "latency", value: factor, from };
  }
  throw invalid(spec, `"${key}" is not an effect (accuracy, errors, latency)`);
}

/** Checks degradations given to the generator (from code rather than parsed). */
export function checkDegradations(value: unknown): readonly SampleDegradation[] {
  if (!Array.isArray(value)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "degrade must be a list of degradations (see parseDegradation).");
  for (const item of value as SampleDegradation[]) {
    const ok =
      item &&
      typeof item === "object" &&
      item.from instanceof Date &&
      Number.isFinite(item.from.getTime()) &&
      typeof item.value === "number" &&
      (item.effect === "vague" ||
        item.effect === "outcomes" ||
        (item.effect === "mix" && typeof item.expert === "string") ||
        (["accuracy", "errors", "latency"].includes(item.effect) && typeof (item as { layer?: unknown }).layer === "string"));
    if (!ok) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Not a degradation: ${JSON.stringify(item)}. Build them with parseDegradation("keyword:0.6@-24h", end).`);
  }
  return value as SampleDegradation[];
}

/** The degradations in force at `time`, looked up per layer and for the task mix. */
export interface ActiveDegradations {
  accuracy(layer: string): number | undefined;
  errors(layer: string): number | undefined;
  latency(layer: string): number;
  readonly vague: number | undefined;
  readonly outcomes: number | undefined;
  readonly mix: { readonly expert: string; readonly value: number } | undefined;
}

/** What is in force at `time` (the latest-starting degradation of each kind wins). */
export function activeAt(degradations: readonly SampleDegradation[], time: number): ActiveDegradations | undefined {
  const live = degradations.filter((d) => d.from.getTime() <= time).sort((a, b) => a.from.getTime() - b.from.getTime());
  if (live.length === 0) return undefined;
  const find = (effect: SampleDegradation["effect"], layer?: string) => {
    let found: SampleDegradation | undefined;
    for (const d of live) if (d.effect === effect && (layer === undefined || (d as { layer?: string }).layer === layer)) found = d;
    return found;
  };
  const mix = find("mix") as Extract<SampleDegradation, { effect: "mix" }> | undefined;
  return {
    accuracy: (layer) => find("accuracy", layer)?.value,
    errors: (layer) => find("errors", layer)?.value,
    latency: (layer) => find("latency", layer)?.value ?? 1,
    vague: find("vague")?.value,
    outcomes: find("outcomes")?.value,
    mix: mix ? { expert: mix.expert, value: mix.value } : undefined,
  };
}
