/** Data of the scale benchmark: 50,000 labelled exemplars built from BANKING77 and HWU64. */
import { seededRandom } from "@moe-router/core";
import { fullDatasetPath, readDataset } from "../../../tools/datasets/load.js";

/** Exemplars per label, and held-out tasks to route. */
export interface ScaleData {
  readonly experts: Record<string, { exemplars: string[] }>;
  readonly texts: readonly string[];
  readonly tasks: readonly string[];
}

/**
 * The train splits of BANKING77 and HWU64 (141 labels, about 20,000 texts), topped up to
 * `size` with seeded recombinations of two texts of one label (the first half of one, the
 * second half of the other), so the n-gram statistics stay those of real utterances. Tasks
 * are the test splits. Undefined when the datasets are not on this machine.
 */
export function scaleData(size: number, seed = 7): ScaleData | undefined {
  const banking = fullDatasetPath("banking77");
  const hwu = fullDatasetPath("hwu64");
  if (!banking || !hwu) return undefined;
  const rows = [...readDataset(banking), ...readDataset(hwu)];
  const byLabel = new Map<string, string[]>();
  const texts: string[] = [];
  const seen = new Set<string>();
  const add = (label: string, text: string): void => {
    if (seen.has(text)) return;
    seen.add(text);
    texts.push(text);
    let list = byLabel.get(label);
    if (!list) byLabel.set(label, (list = []));
    list.push(text);
  };
  for (const row of rows) if (row.split !== "test") add(row.label, row.text);
  const labels = [...byLabel.keys()];
  const originals = new Map(labels.map((label) => [label, [...byLabel.get(label)!]]));
  const random = seededRandom(seed);
  for (let attempts = 0; texts.length < size && attempts < size * 10; attempts++) {
    const label = labels[Math.floor(random() * labels.length)]!;
    const pool = originals.get(label)!;
    const a = pool[Math.floor(random() * pool.length)]!.split(" ");
    const b = pool[Math.floor(random() * pool.length)]!.split(" ");
    add(label, [...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.floor(b.length / 2))].join(" "));
  }
  const experts: Record<string, { exemplars: string[] }> = {};
  for (const [label, list] of byLabel) experts[label] = { exemplars: list };
  const tasks = rows.filter((row) => row.split === "test").map((row) => row.text);
  return { experts, texts, tasks };
}
