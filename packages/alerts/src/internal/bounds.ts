/** z of the two-sided 95 % interval (each side a 97.5 % one-sided bound). */
export const Z95 = 1.96;

/** Wilson score interval of `successes` out of `n` at z; [0, 1] when n is 0. */
export function wilson(successes: number, n: number, z = Z95): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** χ²₀.₉₅ for 1..10 degrees of freedom (tables); Wilson–Hilferty is within 1 % only beyond. */
const CHI2_95 = [0, 3.841, 5.991, 7.815, 9.488, 11.07, 12.592, 14.067, 15.507, 16.919, 18.307];

/** One-sided 95 % quantile of χ² with `k` degrees of freedom (table to 10, Wilson–Hilferty beyond; within 1 %). */
export function chiSquare95(k: number): number {
  if (k <= 0) return 0;
  if (k < CHI2_95.length) return CHI2_95[k]!;
  const z = 1.6449;
  const a = 2 / (9 * k);
  return k * (1 - a + z * Math.sqrt(a)) ** 3;
}

/**
 * Population stability index of the expert mix in `window` against `baseline`:
 * Σ (w − b)·ln(w / b) over the experts of either, shares from counts with 0.5 added to each
 * (so an expert absent on one side gives a large but finite term).
 * Also its 95th percentile when nothing shifted: PSI·n_w·n_b/(n_w + n_b) is asymptotically
 * χ² with k − 1 degrees of freedom, so noise95 = χ²₀.₉₅(k − 1)·(1/n_w + 1/n_b).
 */
export function populationStability(window: ReadonlyMap<string, number>, baseline: ReadonlyMap<string, number>): { psi: number; noise95: number; windowCount: number; baselineCount: number } {
  const experts = new Set([...window.keys(), ...baseline.keys()]);
  let windowCount = 0,
    baselineCount = 0;
  for (const n of window.values()) windowCount += n;
  for (const n of baseline.values()) baselineCount += n;
  const k = experts.size;
  if (k === 0 || windowCount === 0 || baselineCount === 0) return { psi: 0, noise95: Number.POSITIVE_INFINITY, windowCount, baselineCount };
  let psi = 0;
  for (const expert of experts) {
    const w = ((window.get(expert) ?? 0) + 0.5) / (windowCount + 0.5 * k);
    const b = ((baseline.get(expert) ?? 0) + 0.5) / (baselineCount + 0.5 * k);
    psi += (w - b) * Math.log(w / b);
  }
  return { psi, noise95: chiSquare95(k - 1) * (1 / windowCount + 1 / baselineCount), windowCount, baselineCount };
}
