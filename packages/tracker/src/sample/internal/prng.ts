import { seededRandom } from "@moe-router/core";

/**
 * The sample generator's seeded randomness: core's `seededRandom` (mulberry32, the one copy of
 * it) with the distributions the generator needs.
 */
export class Random {
  private readonly source: () => number;

  constructor(seed: number) {
    // Mix the seed so nearby seeds give unrelated streams.
    this.source = seededRandom((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0x6d2b79f5) >>> 0);
  }

  /** Uniform in [0,1). */
  next(): number {
    return this.source();
  }

  /** Uniform in [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median and spread (sigma of the log). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A UUID-v4-shaped id from the stream, so seeded runs give the same event ids. */
  uuid(): string {
    const a = hex(this.next() * 2 ** 32, 8);
    const b = hex(this.next() * 2 ** 16, 4);
    const c = hex(0x4000 | (this.next() * 2 ** 12), 4);
    const d = hex(0x8000 | (this.next() * 2 ** 14), 4);
    const e = hex(this.next() * 2 ** 24, 6) + hex(this.next() * 2 ** 24, 6);
    return `${a}-${b}-${c}-${d}-${e}`;
  }
}

function hex(n: number, width: number): string {
  return Math.floor(n).toString(16).padStart(width, "0");
}
