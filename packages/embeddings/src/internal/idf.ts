/**
 * IDF bookkeeping: counting document frequencies and turning them into weights.
 * Smoothed IDF (as scikit-learn's `smooth_idf`): a word never seen gets the highest weight,
 * and no weight is zero, so a word found in every text still counts a little.
 */
import { hashTag } from "./hash.js";
import { tokenise } from "./tokenise.js";
import type { IdfTable } from "../types.js";

/** Counts, for each word, how many texts of `corpus` contain it. */
export function countDocumentFrequencies(corpus: Iterable<string>): IdfTable {
  const frequencies: Record<string, number> = Object.create(null) as Record<string, number>;
  let documents = 0;
  for (const text of corpus) {
    documents++;
    for (const word of new Set(tokenise(text))) frequencies[word] = (frequencies[word] ?? 0) + 1;
  }
  return { documents, frequencies };
}

/** Word -> IDF weight, precomputed once per table. */
export class IdfWeights {
  private readonly weights = new Map<string, number>();
  private readonly unseen: number;
  /** Short content hash of the table, part of the embedder id. */
  readonly tag: string;

  constructor(readonly table: IdfTable) {
    const { documents, frequencies } = table;
    this.unseen = Math.log(documents + 1) + 1;
    const words = Object.keys(frequencies).sort();
    for (const word of words) this.weights.set(word, Math.log((documents + 1) / (frequencies[word]! + 1)) + 1);
    // Sorted entries make the tag independent of insertion order.
    this.tag = hashTag(`${documents}\n${words.map((w) => `${w}\t${frequencies[w]}`).join("\n")}`);
  }

  /** IDF weight of `word` (the unseen-word weight when it is not in the table). */
  weight(word: string): number {
    return this.weights.get(word) ?? this.unseen;
  }
}
