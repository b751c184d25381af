/**
 * The one place that says what an outcome tells about the right expert. The tracker's
 * analysis, time series and dashboard, the tuner's traces and the CLI's `train --from-log` all
 * read outcomes through these functions, so the rule cannot drift between them
 * (`fixtures/outcome-judgements.json` pins it, and every user's tests run that table).
 */
import type { Outcome } from "./records.js";

/** The outcome did not say whether the routed expert was right. */
export const UNKNOWN = 0;
/** The routed expert was right. */
export const RIGHT = 1;
/** The routed expert was wrong. */
export const WRONG = 2;
/** One of {@link UNKNOWN}, {@link RIGHT}, {@link WRONG}. */
export type Verdict = typeof UNKNOWN | typeof RIGHT | typeof WRONG;

/** A non-empty `user_corrected_to`, or undefined. */
function correctionOf(outcome: Outcome | undefined): string | undefined {
  const corrected = outcome?.user_corrected_to;
  return typeof corrected === "string" && corrected !== "" ? corrected : undefined;
}

/**
 * Was the routed expert right? A correction decides when there is one, whatever
 * `was_correct_master` says (the user's explicit correction is the stronger signal): to
 * another expert means wrong, to the routed expert itself confirms it. Otherwise
 * `was_correct_master` decides. An outcome with neither (only completion, say) is unknown.
 */
export function judge(selected: string, outcome: Outcome | undefined): Verdict {
  if (!outcome) return UNKNOWN;
  const corrected = correctionOf(outcome);
  if (corrected !== undefined) return corrected === selected ? RIGHT : WRONG;
  if (outcome.was_correct_master === true) return RIGHT;
  if (outcome.was_correct_master === false) return WRONG;
  return UNKNOWN;
}

/** The expert that was right for the task, when the outcome tells: the routed one or the correction. */
export function rightExpert(selected: string, verdict: Verdict, outcome: Outcome | undefined): string | undefined {
  if (verdict === RIGHT) return selected;
  return verdict === WRONG ? correctionOf(outcome) : undefined;
}

/**
 * Was routing to `expert` right, given the right expert (when known) and an expert known to be
 * wrong? Unknown when neither decides.
 */
export function judgeExpertVerdict(expert: string, right: string | undefined, wrong: string | undefined): Verdict {
  if (right !== undefined) return expert === right ? RIGHT : WRONG;
  return wrong !== undefined && expert === wrong ? WRONG : UNKNOWN;
}

/**
 * Was an attempt that named `expert` right? Known when the right expert is known, or when the
 * decision was wrong and the attempt named the same (wrong) expert.
 */
export function judgeAttempt(expert: string, selected: string, verdict: Verdict, right: string | undefined): Verdict {
  return judgeExpertVerdict(expert, right, verdict === WRONG ? selected : undefined);
}

/** What an outcome says about a routed task (see {@link judgeOutcome}). */
export interface OutcomeJudgement {
  /** Was the routed expert right? Undefined when the outcome does not say. */
  readonly correct: boolean | undefined;
  /** The expert that was right for the task: the routed one when correct, else the correction. */
  readonly rightExpert: string | undefined;
  /** An expert known to be wrong: the routed one when the outcome says it was wrong. */
  readonly wrongExpert: string | undefined;
}

/**
 * What an outcome says about the right expert for a task routed to `selected`.
 * @example
 * judgeOutcome("billing", { task_completed: true, was_correct_master: true, user_corrected_to: "support" })
 * // { correct: false, rightExpert: "support", wrongExpert: "billing" }: the correction wins
 */
export function judgeOutcome(selected: string, outcome: Outcome | undefined): OutcomeJudgement {
  const verdict = judge(selected, outcome);
  return {
    correct: verdict === UNKNOWN ? undefined : verdict === RIGHT,
    rightExpert: rightExpert(selected, verdict, outcome),
    wrongExpert: verdict === WRONG ? selected : undefined,
  };
}

/**
 * Was routing to `expert` right, given what is known (from {@link judgeOutcome}, or a dataset
 * label as `rightExpert`)? Undefined when that does not decide it.
 */
export function judgeExpert(expert: string, known: { readonly rightExpert?: string | undefined; readonly wrongExpert?: string | undefined }): boolean | undefined {
  const verdict = judgeExpertVerdict(expert, known.rightExpert, known.wrongExpert);
  return verdict === UNKNOWN ? undefined : verdict === RIGHT;
}
