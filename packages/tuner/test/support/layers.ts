import type { LabelledExample, Layer, Verdict } from "@moe-router/core";

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );
}

/** A test layer: nearest learned example by word overlap (Jaccard); confidence = the overlap. */
export interface OverlapLayer extends Layer {
  readonly learned: LabelledExample[];
  readonly calls: string[];
}

/** Options of {@link overlapLayer}: extra abilities to exercise evaluate()'s fit protocol. */
export interface OverlapOptions {
  readonly name?: string;
  /** Adds a calibrate(validation) that records the call. */
  readonly calibrate?: boolean;
  /** Adds a fit(examples, { validation }) that learns and records the call. */
  readonly fit?: boolean;
  /** Confidence is overlap ** power (shapes the scale without changing the ranking). */
  readonly power?: number;
}

/** Builds an {@link OverlapLayer}. */
export function overlapLayer(options: OverlapOptions = {}): OverlapLayer {
  const learned: LabelledExample[] = [];
  const index: { expert: string; words: Set<string> }[] = [];
  const calls: string[] = [];
  const power = options.power ?? 1;
  const layer: OverlapLayer = {
    name: options.name ?? "overlap",
    capabilities: { learn: true, deterministic: true },
    learned,
    calls,
    route(task): Verdict {
      const query = words(task.description);
      let best = { expert: "coordinator-master", score: 0 };
      for (const entry of index) {
        let shared = 0;
        for (const word of query) if (entry.words.has(word)) shared++;
        const score = shared / (query.size + entry.words.size - shared || 1);
        if (score > best.score) best = { expert: entry.expert, score };
      }
      return { expert: best.expert, confidence: best.score ** power };
    },
    learn(examples) {
      calls.push(`learn:${examples.length}`);
      for (const example of examples) {
        learned.push(example);
        index.push({ expert: example.expert, words: words(example.text) });
      }
    },
  };
  if (options.calibrate) {
    Object.assign(layer, {
      async calibrate(validation: readonly LabelledExample[]) {
        calls.push(`calibrate:${validation.length}`);
        return { accuracy: 0.5, eceBefore: 0.2, eceAfter: 0.1 };
      },
    });
  }
  if (options.fit) {
    Object.assign(layer, {
      async fit(examples: readonly LabelledExample[], fitOptions?: { validation?: readonly LabelledExample[] }) {
        calls.push(`fit:${examples.length}:${fitOptions?.validation?.length ?? 0}`);
        layer.learn!(examples);
        return { accuracy: 0.6 };
      },
    });
  }
  return layer;
}
