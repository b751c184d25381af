import type { LabelledExample, Layer, Verdict } from "./types.js";

/** Options of {@link lookupLayer}. */
export interface LookupLayerOptions {
  /** Layer name. Default "lookup". */
  readonly name?: string;
  /** Known texts and their experts. */
  readonly examples?: readonly LabelledExample[];
  /** Expert reported when nothing matches (with confidence 0). Default "coordinator-master". */
  readonly defaultExpert?: string;
  /** Confidence of an exact match. Default 1. */
  readonly matchConfidence?: number;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/**
 * The reference layer: exact (normalised) text lookup that learns from examples.
 * Small enough to read in a minute; the conformance kit runs against it, and it is
 * handy in tests and as a "known answers" first layer.
 */
export function lookupLayer(options: LookupLayerOptions = {}): Layer {
  const table = new Map<string, string>();
  const defaultExpert = options.defaultExpert ?? "coordinator-master";
  const matchConfidence = options.matchConfidence ?? 1;
  const add = (examples: readonly LabelledExample[]) => {
    for (const example of examples) table.set(normalise(example.text), example.expert);
  };
  add(options.examples ?? []);
  return {
    name: options.name ?? "lookup",
    capabilities: { learn: true, deterministic: true },
    route(task): Verdict {
      const expert = table.get(normalise(task.description));
      return expert === undefined
        ? { expert: defaultExpert, confidence: 0, details: { matched: false } }
        : { expert, confidence: matchConfidence, details: { matched: true } };
    },
    learn(examples) {
      add(examples);
    },
  };
}
