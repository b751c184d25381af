import { ErrorCode, MoeRouterError, seededRandom } from "@moe-router/core";
import type { EvalRow, EvaluationData } from "./dataset.js";

/** Options of {@link holdOutIntents}. */
export interface HoldOutOptions {
  /** Whole intents to hold out as unknown. */
  readonly count: number;
  /** Seed of the choice. Default 42. */
  readonly seed?: number;
  /** Label given to held-out rows. Default "oos". */
  readonly label?: string;
}

/** A dataset with whole intents turned into out-of-scope rows. */
export interface HeldOutData extends EvaluationData {
  /** Intents held out, sorted. */
  readonly heldOut: readonly string[];
  /**
   * Held-out intents whose train rows stay (relabelled) as out-of-scope examples: the first
   * half of the held-out intents. The others appear only in test (never seen in any form).
   */
  readonly seenAsOutOfScope: readonly string[];
}

/**
 * Makes an out-of-scope test from an in-scope dataset: `count` whole intents (seeded
 * choice) become "unknown". All their test rows are relabelled `label` (they must reach
 * the clarification fallback); the train and validation rows of the first half of them are
 * relabelled too (examples an explicit out-of-scope class, or an out-of-scope-recall
 * objective, can use), and those of the other half are dropped, so part of the test's
 * out-of-scope rows come from intents no part of training ever saw.
 *
 * @throws MoeRouterError INVALID_CONFIG when count is not an integer in [1, intents - 2].
 */
export function holdOutIntents(data: EvaluationData, options: HoldOutOptions): HeldOutData {
  const label = options.label ?? "oos";
  const intents = [...new Set(data.train.map((row) => row.label))].sort();
  const { count } = options;
  if (!Number.isInteger(count) || count < 1 || count > intents.length - 2) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `Intents to hold out must be a whole number from 1 to ${intents.length - 2} (the dataset has ${intents.length}, and two must stay in scope); got ${count}.`,
    );
  }
  if (intents.includes(label)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `The dataset already has a label "${label}"; name the out-of-scope label differently (--oos-label).`);
  const random = seededRandom((options.seed ?? 42) ^ 0x51ed);
  const order = [...intents];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const heldOut = order.slice(0, count);
  const seen = new Set(heldOut.slice(0, Math.ceil(count / 2)));
  const held = new Set(heldOut);
  const relabel = (rows: readonly EvalRow[], keepUnseen: boolean): EvalRow[] =>
    rows.flatMap((row) => {
      if (!held.has(row.label)) return [row];
      if (!keepUnseen && !seen.has(row.label)) return [];
      return [{ text: row.text, label }];
    });
  return {
    train: relabel(data.train, false),
    val: relabel(data.val, false),
    test: relabel(data.test, true),
    heldOut: [...heldOut].sort(),
    seenAsOutOfScope: [...seen].sort(),
  };
}
