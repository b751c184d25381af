import { defineLayer, type FilledOptions } from "./kit/define-layer.js";
import { fallbackExpertOption } from "./kit/options.js";
import type { LabelledExample, Layer, Verdict } from "./types.js";

/** Options of {@link lookupLayer}. */
export interface LookupLayerOptions {
  /** Layer name. Default "lookup". */
  readonly name?: string;
  /** Known texts and their experts. */
  readonly examples?: readonly LabelledExample[];
  /** Expert reported when nothing matches (with confidence 0). Default "coordinator-master". */
  readonly fallbackExpert?: string;
  /** @deprecated Renamed `fallbackExpert` (accepted with a MOE_DEPRECATED_OPTION warning). */
  readonly defaultExpert?: string;
  /** Confidence of an exact match. Default 1. */
  readonly matchConfidence?: number;
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const OPTIONS = {
  name: { type: "string", default: "lookup" },
  examples: { type: "array" },
  fallbackExpert: fallbackExpertOption,
  matchConfidence: { type: "number", min: 0, max: 1, default: 1 },
} as const;

function build(options: FilledOptions<LookupLayerOptions, typeof OPTIONS>): Layer {
  const table = new Map<string, string>();
  const { fallbackExpert, matchConfidence } = options;
  const add = (examples: readonly LabelledExample[]) => {
    for (const example of examples) table.set(normalise(example.text), example.expert);
  };
  add(options.examples ?? []);
  return {
    name: options.name,
    capabilities: { learn: true, deterministic: true },
    route(task): Verdict {
      const expert = table.get(normalise(task.description));
      return expert === undefined ? { expert: fallbackExpert, confidence: 0, details: { matched: false } } : { expert, confidence: matchConfidence, details: { matched: true } };
    },
    learn(examples) {
      add(examples);
    },
  };
}

const definition = defineLayer<LookupLayerOptions>()({ name: "lookup", options: OPTIONS, build });

/**
 * The reference layer: exact (normalised) text lookup that learns from examples.
 * Small enough to read in a minute; the conformance kit runs against it, and it is
 * handy in tests and as a "known answers" first layer. Built with the layer kit's
 * `defineLayer`, like every layer package.
 */
export function lookupLayer(options: LookupLayerOptions = {}): Layer {
  return definition.factory(options);
}
