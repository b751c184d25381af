import { precisionLowerBound } from "./bounds.js";
import { judge } from "./traces.js";
import type { BoundMethod, RouteTrace } from "./types.js";

/**
 * Joint threshold search for the cascade: maximise coverage while the lower confidence bound
 * on the precision of all accepted decisions stays >= the target. A coarse grid over the box
 * finds the right region (coordinate moves alone stall in local optima), then coordinate
 * ascent on the exact 0.001 grid refines it.
 */

/** Traces flattened for fast replay: per trace and layer, a confidence and a verdict. */
interface Compiled {
  readonly count: number;
  readonly layers: number;
  /** NaN: the layer never ran (replay cannot follow); -Infinity: it errored (passed over). */
  readonly confidence: Float64Array;
  /** 1 right, 0 wrong, -1 unknown. */
  readonly verdict: Int8Array;
}

function compile(traces: readonly RouteTrace[], layers: readonly string[]): Compiled {
  const confidence = new Float64Array(traces.length * layers.length);
  const verdict = new Int8Array(traces.length * layers.length);
  traces.forEach((trace, t) => {
    layers.forEach((layer, l) => {
      const attempt = trace.attempts[layer];
      const i = t * layers.length + l;
      if (!attempt) confidence[i] = Number.NaN;
      else if (attempt.errored) confidence[i] = Number.NEGATIVE_INFINITY;
      else {
        confidence[i] = attempt.confidence!;
        const right = judge(attempt.expert!, trace.truth);
        verdict[i] = right === undefined ? -1 : right ? 1 : 0;
      }
    });
  });
  return { count: traces.length, layers: layers.length, confidence, verdict };
}

/** Totals of a replay: traces followed, decisions taken by a layer, judged, right. */
interface Tally {
  simulated: number;
  routed: number;
  judged: number;
  right: number;
}

/** Adds trace `t` replayed from layer `from` under `thresholds` (by index) into `into`. */
function replayInto(c: Compiled, t: number, thresholds: ArrayLike<number>, from: number, into: Tally, sign = 1): void {
  for (let l = from; l < c.layers; l++) {
    const confidence = c.confidence[t * c.layers + l]!;
    if (Number.isNaN(confidence)) return; // never ran: the replay cannot follow this trace
    if (confidence >= thresholds[l]!) {
      const verdict = c.verdict[t * c.layers + l]!;
      into.simulated += sign;
      into.routed += sign;
      if (verdict >= 0) {
        into.judged += sign;
        into.right += sign * verdict;
      }
      return;
    }
  }
  into.simulated += sign; // clarification
}

/** The cascade's precision bound and coverage at one set of thresholds. */
export interface CascadePoint {
  readonly thresholds: Readonly<Record<string, number>>;
  readonly simulated: number;
  readonly routed: number;
  readonly judged: number;
  readonly right: number;
  readonly coverage: number;
  readonly precision: number | undefined;
  readonly lowerBound: number;
  /** Bound >= target, or nothing routed. */
  readonly feasible: boolean;
}

/** Options of {@link jointSearch}. */
export interface JointSearchOptions {
  readonly targetPrecision: number;
  readonly confidenceLevel: number;
  readonly bound: BoundMethod;
  /** Largest move per layer from `start`: the box the search stays in. */
  readonly step: number;
  /** Layers whose threshold stays as in `start` (e.g. too few samples). */
  readonly frozen?: ReadonlySet<string>;
}

/** A scored candidate; the bound is computed only when a comparison needs it. */
class Candidate {
  private bound: number | undefined;
  constructor(
    readonly thresholds: Float64Array,
    readonly tally: Tally,
    private readonly options: JointSearchOptions,
    private readonly bounds: Map<number, number>,
  ) {}
  get coverage(): number {
    return this.tally.simulated ? this.tally.routed / this.tally.simulated : 0;
  }
  get lowerBound(): number {
    if (this.bound === undefined) {
      // The same (right, judged) pair comes up again and again during a search; exact bounds are not free.
      const key = this.tally.judged * 4_194_304 + this.tally.right;
      let bound = this.bounds.get(key);
      if (bound === undefined) {
        bound = precisionLowerBound(this.options.bound, this.tally.right, this.tally.judged, this.options.confidenceLevel);
        this.bounds.set(key, bound);
      }
      this.bound = bound;
    }
    return this.bound;
  }
  get feasible(): boolean {
    if (this.tally.routed === 0) return true;
    if (this.tally.judged === 0 || this.tally.right / this.tally.judged < this.options.targetPrecision) return false; // bound <= point
    return this.lowerBound >= this.options.targetPrecision;
  }
  /** Feasible first; then more coverage, then a higher bound. Infeasible: higher bound, then coverage. */
  betterThan(other: Candidate): boolean {
    const mine = this.feasible;
    if (mine !== other.feasible) return mine;
    if (mine) {
      if (this.coverage !== other.coverage) return this.coverage > other.coverage;
      return this.lowerBound > other.lowerBound;
    }
    if (this.lowerBound !== other.lowerBound) return this.lowerBound > other.lowerBound;
    return this.coverage > other.coverage;
  }
}

function tallyAll(c: Compiled, thresholds: ArrayLike<number>): Tally {
  const tally: Tally = { simulated: 0, routed: 0, judged: 0, right: 0 };
  for (let t = 0; t < c.count; t++) replayInto(c, t, thresholds, 0, tally);
  return tally;
}

/** Best value for layer `k` with the others held: one sort, one sweep over candidate thresholds. */
function bestForLayer(c: Compiled, thresholds: Float64Array, k: number, low: number, high: number, options: JointSearchOptions, bounds: Map<number, number>): Candidate {
  const fixed: Tally = { simulated: 0, routed: 0, judged: 0, right: 0 };
  const movable: number[] = [];
  for (let t = 0; t < c.count; t++) {
    let reaches = true;
    for (let l = 0; l < k; l++) {
      const confidence = c.confidence[t * c.layers + l]!;
      if (Number.isNaN(confidence) || confidence >= thresholds[l]!) {
        reaches = false;
        break;
      }
    }
    if (!reaches || !Number.isFinite(c.confidence[t * c.layers + k]!)) replayInto(c, t, thresholds, 0, fixed);
    else movable.push(t);
  }
  movable.sort((a, b) => c.confidence[b * c.layers + k]! - c.confidence[a * c.layers + k]!);
  const candidates = new Set<number>([low, high, thresholds[k]!]);
  for (const t of movable) {
    const value = Math.floor(c.confidence[t * c.layers + k]! * 1000) / 1000;
    if (value >= low && value <= high) candidates.add(value);
  }
  const ordered = [...candidates].sort((a, b) => b - a);
  // Start with every movable trace declined by k, then accept them from the most confident down.
  const tally = { ...fixed };
  const declineAll = Float64Array.from(thresholds);
  declineAll[k] = Number.POSITIVE_INFINITY;
  for (const t of movable) replayInto(c, t, declineAll, k, tally);
  const acceptOnly = Float64Array.from(thresholds);
  acceptOnly[k] = Number.NEGATIVE_INFINITY;
  let best: Candidate | undefined;
  let index = 0;
  for (const value of ordered) {
    while (index < movable.length && c.confidence[movable[index]! * c.layers + k]! >= value) {
      replayInto(c, movable[index]!, declineAll, k, tally, -1);
      replayInto(c, movable[index]!, acceptOnly, k, tally);
      index++;
    }
    const point = Float64Array.from(thresholds);
    point[k] = value;
    const candidate = new Candidate(point, { ...tally }, options, bounds);
    const nearer = best && Math.abs(value - thresholds[k]!) < Math.abs(best.thresholds[k]! - thresholds[k]!);
    // Ties keep the threshold nearest the current one, so unchanged data leaves thresholds alone.
    if (!best || candidate.betterThan(best) || (nearer && !best.betterThan(candidate))) best = candidate;
  }
  return best!;
}

function ascend(c: Compiled, from: Float64Array, box: readonly (readonly [number, number])[], movable: readonly number[], options: JointSearchOptions, bounds: Map<number, number>): Candidate {
  const thresholds = Float64Array.from(from);
  let current = new Candidate(Float64Array.from(thresholds), tallyAll(c, thresholds), options, bounds);
  for (let round = 0; round < 50; round++) {
    let moved = false;
    for (const k of movable) {
      const candidate = bestForLayer(c, thresholds, k, box[k]![0], box[k]![1], options, bounds);
      if (candidate.betterThan(current)) {
        thresholds[k] = candidate.thresholds[k]!;
        current = candidate;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return current;
}

/** Grid over the box, as fine as a budget of replays allows (per-layer spacing 0.01 to 0.1). */
function gridPoints(c: Compiled, box: readonly (readonly [number, number])[], movable: readonly number[], start: Float64Array): Float64Array[] {
  const budget = 3e7 / Math.max(1, c.count * c.layers);
  for (const spacing of [0.01, 0.02, 0.05, 0.1]) {
    const axes = movable.map((k) => {
      const values = new Set<number>([box[k]![0], box[k]![1]]);
      for (let v = Math.ceil(box[k]![0] / spacing) * spacing; v <= box[k]![1] + 1e-9; v += spacing) values.add(Math.round(v * 1000) / 1000);
      return [...values];
    });
    const size = axes.reduce((n, axis) => n * axis.length, 1);
    if (size > budget && spacing < 0.1) continue;
    if (size > budget) return [];
    const points: Float64Array[] = [];
    const walk = (i: number, point: Float64Array) => {
      if (i === movable.length) {
        points.push(Float64Array.from(point));
        return;
      }
      for (const value of axes[i]!) {
        point[movable[i]!] = value;
        walk(i + 1, point);
      }
    };
    walk(0, Float64Array.from(start));
    return points;
  }
  return [];
}

function toRecord(layers: readonly string[], values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(layers.map((layer, i) => [layer, values[i]!]));
}

function result(layers: readonly string[], candidate: Candidate): CascadePoint {
  const t = candidate.tally;
  return {
    thresholds: toRecord(layers, candidate.thresholds),
    ...t,
    coverage: candidate.coverage,
    precision: t.judged ? t.right / t.judged : undefined,
    lowerBound: candidate.lowerBound,
    feasible: candidate.feasible,
  };
}

/** A reusable search over one set of traces: the grid is replayed once and shared by every target. */
export interface JointSearcher {
  /** The best thresholds for one target precision. */
  search(targetPrecision: number): CascadePoint;
  /** The cascade at given thresholds. */
  measure(thresholds: Readonly<Record<string, number>>, targetPrecision: number): CascadePoint;
}

/** Prepares {@link JointSearcher} over `traces` (see {@link jointSearch}). */
export function jointSearcher(traces: readonly RouteTrace[], layers: readonly string[], start: Readonly<Record<string, number>>, options: Omit<JointSearchOptions, "targetPrecision">): JointSearcher {
  const c = compile(traces, layers);
  const origin = Float64Array.from(layers.map((layer) => start[layer]!));
  const box = layers.map((_, k) => [Math.max(0, origin[k]! - options.step), Math.min(1, origin[k]! + options.step)] as const);
  const movable = layers.map((_, k) => k).filter((k) => !options.frozen?.has(layers[k]!));
  const grid = gridPoints(c, box, movable, origin).map((point) => ({ point, tally: tallyAll(c, point) }));
  const boundCache = new Map<number, number>();
  return {
    search(targetPrecision) {
      const settings = { ...options, targetPrecision };
      const bounds = boundCache;
      let seed: Candidate | undefined;
      for (const { point, tally } of grid) {
        const candidate = new Candidate(point, tally, settings, bounds);
        if (!seed || candidate.betterThan(seed)) seed = candidate;
      }
      let best = ascend(c, origin, box, movable, settings, bounds);
      if (seed) {
        const refined = ascend(c, seed.thresholds, box, movable, settings, bounds);
        if (refined.betterThan(best)) best = refined;
      }
      return result(layers, best);
    },
    measure(thresholds, targetPrecision) {
      const values = Float64Array.from(layers.map((layer) => thresholds[layer]!));
      return result(layers, new Candidate(values, tallyAll(c, values), { ...options, targetPrecision }, boundCache));
    },
  };
}

/**
 * Chooses every threshold together: the most coverage whose precision bound (all decisions
 * taken by a layer) is >= the target, each threshold within `step` of `start`. When nothing in
 * the box is feasible, the point with the highest bound.
 */
export function jointSearch(traces: readonly RouteTrace[], layers: readonly string[], start: Readonly<Record<string, number>>, options: JointSearchOptions): CascadePoint {
  return jointSearcher(traces, layers, start, options).search(options.targetPrecision);
}
