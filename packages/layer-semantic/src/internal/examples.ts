import { ErrorCode, MoeRouterError, type LabelledExample } from "@moe-router/core";
import { seededRandom, shuffled } from "./random.js";

/** Checks labelled examples; a bad one is a user mistake, reported with its position. */
export function checkExamples(examples: readonly LabelledExample[], where: string): void {
  if (!Array.isArray(examples)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} needs an array of labelled examples [{ text, expert }].`);
  }
  examples.forEach((example, i) => {
    if (!example || typeof example.text !== "string" || !example.text.trim()) {
      throw new MoeRouterError(ErrorCode.INVALID_TASK, `${where}: example ${i} has an empty or missing "text"; every example needs the task text it labels.`, { data: { index: i } });
    }
    if (typeof example.expert !== "string" || !example.expert) {
      throw new MoeRouterError(ErrorCode.INVALID_TASK, `${where}: example ${i} ("${example.text.slice(0, 40)}") has no "expert"; name the expert that was right for it.`, { data: { index: i } });
    }
  });
}

/**
 * Stratified, seeded split: from each expert's examples (shuffled with `seed`), round(n * share)
 * go to validation, so every expert with enough examples is represented in proportion and a
 * rerun with the same seed gives the same split. Experts are visited in sorted order so the
 * result does not depend on input order of experts.
 */
export function stratifiedSplit(examples: readonly LabelledExample[], share: number, seed: number): { train: LabelledExample[]; validation: LabelledExample[] } {
  const byExpert = new Map<string, LabelledExample[]>();
  for (const example of examples) {
    const group = byExpert.get(example.expert);
    if (group) group.push(example);
    else byExpert.set(example.expert, [example]);
  }
  const random = seededRandom(seed);
  const train: LabelledExample[] = [];
  const validation: LabelledExample[] = [];
  for (const expert of [...byExpert.keys()].sort()) {
    const group = shuffled(byExpert.get(expert)!, random);
    // Keep at least one example of each expert for training, or the expert could never win.
    const held = Math.min(group.length - 1, Math.round(group.length * share));
    validation.push(...group.slice(0, held));
    train.push(...group.slice(held));
  }
  return { train, validation };
}
