/**
 * Seeded randomness for training. Every random choice (initial weights, the validation
 * split, batch order, the replay sample) draws from one of these, so the same data and
 * seed give bit-identical heads on every machine.
 */

import { seededRandom } from "@moe-router/core";

/** A uniform generator on [0, 1). */
export type Random = () => number;

/** A seeded generator (core's mulberry32). */
export function createRandom(seed: number): Random {
  return seededRandom(seed);
}

/** A standard normal draw (Box-Muller). */
export function gaussian(random: Random): number {
  // 1 - u keeps the logarithm's argument in (0, 1].
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[] | Int32Array, random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i]!;
    items[i] = items[j]!;
    items[j] = swap;
  }
}
