import type { Outcome } from "../../records.js";

/** The outcome did not say whether the routed expert was right. */
export const UNKNOWN = 0;
/** The routed expert was right. */
export const RIGHT = 1;
/** The routed expert was wrong. */
export const WRONG = 2;
/** One of {@link UNKNOWN}, {@link RIGHT}, {@link WRONG}. */
export type Verdict = typeof UNKNOWN | typeof RIGHT | typeof WRONG;

/**
 * Was the routed expert right? A correction to another expert means wrong even when
 * `was_correct_master` says otherwise: the user's explicit correction is the stronger signal.
 * An outcome without either field (only completion, say) is unknown, not right.
 */
export function judge(selected: string, outcome: Outcome | undefined): Verdict {
  if (!outcome) return UNKNOWN;
  const corrected = outcome.user_corrected_to;
  if (typeof corrected === "string" && corrected !== "" && corrected !== selected) return WRONG;
  if (outcome.was_correct_master === true) return RIGHT;
  if (outcome.was_correct_master === false) return WRONG;
  // A correction naming the routed expert itself confirms it.
  if (corrected === selected) return RIGHT;
  return UNKNOWN;
}

/** The expert that was right for the task, when the outcome tells: the routed one or the correction. */
export function rightExpert(selected: string, verdict: Verdict, outcome: Outcome | undefined): string | undefined {
  if (verdict === RIGHT) return selected;
  const corrected = outcome?.user_corrected_to;
  return verdict === WRONG && typeof corrected === "string" && corrected !== "" ? corrected : undefined;
}

/**
 * Was an attempt that named `expert` right? Known when the right expert is known, or when the
 * decision was wrong and the attempt named the same (wrong) expert.
 */
export function judgeAttempt(expert: string, selected: string, verdict: Verdict, right: string | undefined): Verdict {
  if (right !== undefined) return expert === right ? RIGHT : WRONG;
  if (verdict === WRONG && expert === selected) return WRONG;
  return UNKNOWN;
}
