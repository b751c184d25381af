/**
 * Turns a head's probabilities into a verdict. When the cascade declares its experts,
 * labels outside that set are dropped and the rest renormalised (the probability of each
 * expert given that the answer is one of the declared ones), so a head trained on more
 * classes than a cascade routes to still gives well-formed verdicts.
 */
import type { LayerContext, Verdict } from "@moe-router/core";

/** What a verdict says about the model that produced it. */
export interface ModelInfo {
  readonly kind: string;
  readonly version: string;
  readonly temperature: number;
}

const declaredSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function declared(experts: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (!experts || experts.length === 0) return undefined;
  let set = declaredSets.get(experts);
  if (!set) {
    set = new Set(experts);
    declaredSets.set(experts, set);
  }
  return set;
}

/** The answer of a layer that has no model yet: the fallback expert, confidence 0. */
export function untrainedVerdict(fallbackExpert: string): Verdict {
  return {
    expert: fallbackExpert,
    confidence: 0,
    details: { trained: false, reason: "no model yet: train one with `moe-router train` or call learn() with examples of two experts" },
  };
}

/** Verdict from calibrated probabilities (in `labels` order). */
export function buildVerdict(labels: readonly string[], probabilities: ArrayLike<number>, model: ModelInfo, context: LayerContext, fallbackExpert: string): Verdict {
  const allowed = declared(context.experts);
  let total = 0;
  let best = -1;
  let second = -1;
  for (let i = 0; i < labels.length; i++) {
    if (allowed && !allowed.has(labels[i]!)) continue;
    const p = probabilities[i]!;
    total += p;
    if (best < 0 || p > probabilities[best]!) {
      second = best;
      best = i;
    } else if (second < 0 || p > probabilities[second]!) {
      second = i;
    }
  }
  if (best < 0 || !(total > 0)) {
    return { expert: fallbackExpert, confidence: 0, details: { trained: true, reason: "none of the model's labels is a declared expert", model_kind: model.kind, model_version: model.version } };
  }
  const out: Record<string, number> = {};
  for (let i = 0; i < labels.length; i++) {
    if (allowed && !allowed.has(labels[i]!)) continue;
    // Clamp: float rounding after renormalising must not push a value past 1.
    out[labels[i]!] = Math.min(1, probabilities[i]! / total);
  }
  const confidence = out[labels[best]!]!;
  const runnerUp = second >= 0 ? out[labels[second]!]! : 0;
  return {
    expert: labels[best]!,
    confidence,
    probabilities: out,
    details: {
      model_kind: model.kind,
      model_version: model.version,
      temperature: model.temperature,
      top2_margin: confidence - runnerUp,
      ...(second >= 0 ? { runner_up: labels[second]! } : {}),
    },
  };
}
