/** Numerically stable logistic function. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** One observation of a weighted logistic fit: features, a target probability in [0,1], a weight >= 0. */
export interface WeightedObservation {
  readonly features: readonly number[];
  readonly target: number;
  readonly weight: number;
}

/**
 * Logistic regression p = sigmoid(w . x + b) with every slope w_j >= 0, fitted by Newton's
 * method on weighted soft targets (weighted cross-entropy), with an active set for the
 * constraint: a slope that would turn negative is pinned at 0, and released again only when
 * the gradient says raising it lowers the loss (KKT). A tiny ridge keeps the Hessian
 * invertible when a feature is constant. Returns `[w_1, ..., w_d, b]`.
 *
 * Non-negative slopes on features that grow with the evidence (margin, top score) make the
 * fitted confidence monotone: it can never fall as a task gets closer to an expert.
 */
export function fitMonotoneLogistic(observations: readonly WeightedObservation[], dimension: number): number[] {
  const size = dimension + 1;
  const w = new Array<number>(size).fill(0);
  const pinned = new Array<boolean>(dimension).fill(false);
  const ridge = 1e-6;
  for (let round = 0; round < 2 * dimension + 2; round++) {
    for (let iteration = 0; iteration < 100; iteration++) {
      const { gradient, hessian } = derivatives(observations, w, ridge);
      const free = [...Array(size).keys()].filter((j) => j === dimension || !pinned[j]);
      const step = solve(
        free.map((r) => free.map((c) => hessian[r]![c]!)),
        free.map((r) => gradient[r]!),
      );
      if (!step) break;
      // Newton step, shortened so no free slope crosses zero; the one that would is pinned.
      let scale = 1;
      let blocking = -1;
      free.forEach((j, i) => {
        if (j === dimension || step[i]! <= 0) return;
        const room = w[j]! / step[i]!;
        if (room < scale) {
          scale = room;
          blocking = j;
        }
      });
      free.forEach((j, i) => (w[j] = w[j]! - scale * step[i]!));
      if (blocking >= 0) {
        w[blocking] = 0;
        pinned[blocking] = true;
      }
      if (blocking < 0 && Math.max(...step.map(Math.abs)) < 1e-10) break;
    }
    // KKT: release a pinned slope whose gradient is negative (raising it would lower the loss).
    const { gradient } = derivatives(observations, w, ridge);
    const release = pinned.findIndex((isPinned, j) => isPinned && gradient[j]! < -1e-9);
    if (release < 0) break;
    pinned[release] = false;
  }
  for (let j = 0; j < dimension; j++) w[j] = Math.max(0, w[j]!);
  return w;
}

function derivatives(observations: readonly WeightedObservation[], w: readonly number[], ridge: number): { gradient: number[]; hessian: number[][] } {
  const size = w.length;
  const dimension = size - 1;
  const gradient = new Array<number>(size).fill(0);
  const hessian = Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => (r === c ? (r === dimension ? 1e-9 : ridge) : 0)));
  for (let j = 0; j < dimension; j++) gradient[j] = ridge * w[j]!;
  const x = new Array<number>(size);
  for (const { features, target, weight } of observations) {
    if (!(weight > 0)) continue;
    let z = w[dimension]!;
    for (let j = 0; j < dimension; j++) {
      x[j] = features[j]!;
      z += w[j]! * features[j]!;
    }
    x[dimension] = 1;
    const p = sigmoid(z);
    const d = weight * (p - target);
    const curvature = weight * Math.max(p * (1 - p), 1e-12);
    for (let r = 0; r < size; r++) {
      gradient[r]! += d * x[r]!;
      for (let c = 0; c < size; c++) hessian[r]![c]! += curvature * x[r]! * x[c]!;
    }
  }
  return { gradient, hessian };
}

/** Solves m v = rhs by Gaussian elimination with partial pivoting; undefined when singular. */
function solve(m: number[][], rhs: number[]): number[] | undefined {
  const n = rhs.length;
  const a = m.map((row, r) => [...row, rhs[r]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (!(Math.abs(a[pivot]![col]!) > 1e-18)) return undefined;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < n; r++) {
      const factor = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= n; c++) a[r]![c]! -= factor * a[col]![c]!;
    }
  }
  const v = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = a[r]![n]!;
    for (let c = r + 1; c < n; c++) sum -= a[r]![c]! * v[c]!;
    v[r] = sum / a[r]![r]!;
  }
  return v.every(Number.isFinite) ? v : undefined;
}
