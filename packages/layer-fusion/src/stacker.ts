/**
 * The log-linear stacker: fused(c) = softmax_c( sum_i w_i * log(max(p_i(c), floor)) + b_c ),
 * one non-negative weight per member layer (and, with `classBias`, one bias per expert),
 * fitted by gradient descent on the validation rows' negative log-likelihood. A weight's
 * scale acts as that layer's temperature, so the fused probabilities come out calibrated on
 * the rows they were fitted on; a useless layer gets weight ~0. Per-expert biases are off by
 * default: with a dozen validation rows per expert they fit noise.
 */

/** Probabilities below this are floored before the log (a member that gives a class 0 cannot veto it outright). */
export const PROBABILITY_FLOOR = 1e-4;

/** Fitted parameters. */
export interface StackerParameters {
  /** Member layer names, in weight order. */
  readonly members: readonly string[];
  /** Non-negative weight of each member. */
  readonly weights: readonly number[];
  /** Experts the biases are for (others get bias 0). */
  readonly experts: readonly string[];
  readonly bias: readonly number[];
}

/** One validation row: each member's probabilities (undefined when it did not answer) and the truth. */
export interface StackRow {
  readonly probabilities: readonly (Readonly<Record<string, number>> | undefined)[];
  readonly truth: string;
}

/** Log-probabilities of one member over `experts` (a missing member gives zeros: no evidence). */
export function logColumns(probabilities: Readonly<Record<string, number>> | undefined, experts: readonly string[], out: Float64Array): void {
  if (!probabilities) {
    out.fill(0);
    return;
  }
  // Normalise (some layers give scores that do not sum to 1, e.g. vote shares).
  let sum = 0;
  for (const expert of experts) sum += Math.max(probabilities[expert] ?? 0, 0);
  const scale = sum > 0 ? 1 / sum : 0;
  experts.forEach((expert, c) => {
    out[c] = Math.log(Math.max((probabilities[expert] ?? 0) * scale, PROBABILITY_FLOOR));
  });
}

/** Fused probabilities over `experts` from precomputed log-columns. */
export function fuse(columns: readonly Float64Array[], weights: readonly number[], bias: readonly number[], out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < out.length; c++) {
    let s = bias[c] ?? 0;
    for (let i = 0; i < columns.length; i++) s += weights[i]! * columns[i]![c]!;
    out[c] = s;
    if (s > max) max = s;
  }
  let total = 0;
  for (let c = 0; c < out.length; c++) {
    out[c] = Math.exp(out[c]! - max);
    total += out[c]!;
  }
  for (let c = 0; c < out.length; c++) out[c]! /= total;
  return out;
}

/** Settings of {@link fitStacker}. */
export interface StackerFitSettings {
  readonly iterations?: number;
  readonly learningRate?: number;
  /** Fit one bias per expert too. Default false. */
  readonly classBias?: boolean;
  /** L2 penalty on the biases. */
  readonly biasL2?: number;
}

/**
 * Fits weights and biases on validation rows (full-batch Adam on the mean NLL, weights
 * projected to >= 0). Deterministic. Returns the parameters and the NLL before (all weights 1,
 * no bias: the plain product of the members' probabilities) and after.
 */
export function fitStacker(
  members: readonly string[],
  experts: readonly string[],
  rows: readonly StackRow[],
  settings: StackerFitSettings = {},
): { parameters: StackerParameters; nllBefore: number; nllAfter: number } {
  const m = members.length;
  const k = experts.length;
  const index = new Map(experts.map((e, i) => [e, i]));
  const usable = rows.filter((row) => index.has(row.truth));
  const columns = usable.map((row) =>
    row.probabilities.map((p) => {
      const out = new Float64Array(k);
      logColumns(p, experts, out);
      return out;
    }),
  );
  const truth = usable.map((row) => index.get(row.truth)!);
  const weights = new Array<number>(m).fill(1);
  const bias = new Array<number>(k).fill(0);
  const probabilities = new Float64Array(k);
  const nll = () => {
    let total = 0;
    columns.forEach((cols, r) => {
      fuse(cols, weights, bias, probabilities);
      total -= Math.log(Math.max(probabilities[truth[r]!]!, 1e-12));
    });
    return usable.length ? total / usable.length : 0;
  };
  const nllBefore = nll();
  const iterations = settings.iterations ?? 300;
  const rate = settings.learningRate ?? 0.05;
  const biasL2 = settings.biasL2 ?? 1e-3;
  const params = settings.classBias ? m + k : m;
  const first = new Float64Array(params);
  const second = new Float64Array(params);
  const gradient = new Float64Array(params);
  for (let step = 1; step <= iterations && usable.length > 0; step++) {
    gradient.fill(0);
    columns.forEach((cols, r) => {
      fuse(cols, weights, bias, probabilities);
      // d NLL / d score_c = p_c - [c = truth].
      for (let c = 0; c < k; c++) {
        const d = probabilities[c]! - (c === truth[r] ? 1 : 0);
        for (let i = 0; i < m; i++) gradient[i]! += d * cols[i]![c]!;
        if (params > m) gradient[m + c]! += d;
      }
    });
    for (let j = 0; j < params; j++) {
      let g = gradient[j]! / usable.length;
      if (j >= m) g += biasL2 * bias[j - m]!;
      first[j] = 0.9 * first[j]! + 0.1 * g;
      second[j] = 0.999 * second[j]! + 0.001 * g * g;
      const update = (rate * (first[j]! / (1 - 0.9 ** step))) / (Math.sqrt(second[j]! / (1 - 0.999 ** step)) + 1e-8);
      if (j < m) weights[j] = Math.max(0, weights[j]! - update);
      else bias[j - m] = bias[j - m]! - update;
    }
  }
  return { parameters: { members: [...members], weights, experts: [...experts], bias }, nllBefore, nllAfter: nll() };
}
