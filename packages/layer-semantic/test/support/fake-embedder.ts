import type { Embedder } from "@moe-router/core";

/** A deterministic bag-of-words embedder that counts its calls, for tests. */
export interface FakeEmbedder extends Embedder {
  /** embed() calls so far. */
  calls: number;
  /** Texts embedded so far, in order. */
  texts: string[];
}

function hashWord(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * Hashes lower-cased words (and a crude stem: the first 5 letters) into `dimension` buckets.
 * `async: true` answers with promises, like a model-backed embedder.
 */
export function fakeEmbedder(options: { dimension?: number; id?: string; async?: boolean } = {}): FakeEmbedder {
  const dimension = options.dimension ?? 256;
  const embedder: FakeEmbedder = {
    id: options.id ?? `fake-bow:d${dimension}`,
    dimension,
    calls: 0,
    texts: [],
    embed(texts: readonly string[]) {
      embedder.calls++;
      embedder.texts.push(...texts);
      const vectors = texts.map((text) => {
        const vector = new Float32Array(dimension);
        for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
          vector[hashWord(word) % dimension]! += 1;
          if (word.length > 5) vector[hashWord(`stem:${word.slice(0, 5)}`) % dimension]! += 0.5;
        }
        return vector; // deliberately not normalised: the layer must not rely on it
      });
      return options.async ? Promise.resolve(vectors) : vectors;
    },
  };
  return embedder;
}

/** A small expert set in the prototype's vocabulary. */
export const TOY_EXPERTS = {
  "security-master": { exemplars: ["fix the login authentication bug", "rotate leaked api keys", "patch the sql injection vulnerability", "audit password security"] },
  "cicd-master": { exemplars: ["deploy the api to production", "fix the failing ci pipeline build", "roll back the release", "set up the deployment pipeline"] },
  "inventory-master": { exemplars: ["catalog all dependencies", "list every service and its owner", "inventory the cloud resources", "report outdated libraries"] },
};
