import { judgeOutcome, openStore, type RoutingEvent } from "@moe-router/tracker";

/** A labelled text and where it came from. */
export interface LabelledText {
  readonly text: string;
  readonly label: string;
}

/**
 * The label a tracked event gives for training: the right expert by the tracker's rule
 * (`judgeOutcome`: the correction, or the routed expert when the outcome says it was right),
 * or undefined when the outcome does not tell (no outcome, wrong without a correction) or the
 * event has no task text.
 */
export function labelFromEvent(event: RoutingEvent): LabelledText | undefined {
  const label = judgeOutcome(event.selected_master, event.outcome).rightExpert;
  return label !== undefined && event.task_description?.trim() ? { text: event.task_description, label } : undefined;
}

/**
 * Labelled tasks from the tracker's store, how many decisions gave no label, and how many
 * generated sample decisions (`synthetic: true`) were left out (unless `includeSynthetic`).
 */
export async function readLogLabels(spec: string, cwd: string, includeSynthetic = false): Promise<{ examples: LabelledText[]; skipped: number; synthetic: number }> {
  const store = await openStore(spec, { cwd });
  const examples: LabelledText[] = [];
  let skipped = 0;
  let synthetic = 0;
  try {
    for await (const event of store.read()) {
      if (event.synthetic === true && !includeSynthetic) {
        synthetic++;
        continue;
      }
      const example = labelFromEvent(event);
      if (example) examples.push(example);
      else skipped++;
    }
  } finally {
    await store.close();
  }
  return { examples, skipped, synthetic };
}
