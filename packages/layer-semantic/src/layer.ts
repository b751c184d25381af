import { createHash } from "node:crypto";
import { ErrorCode, MoeRouterError, softmax, type LabelledExample, type LayerCapabilities, type LayerContext, type RoutingTask, type Verdict } from "@moe-router/core";
import { confidenceOf, DEFAULT_FEATURE, DEFAULT_PRIOR_WEIGHT, evaluateCalibration, fitCalibration, PRIOR_CALIBRATION, rank, type CalibrationSample } from "./internal/calibration.js";
import { checkExamples, stratifiedSplit } from "./internal/examples.js";
import { ExemplarStore, type Seed } from "./internal/exemplar-store.js";
import { selfCalibrate } from "./internal/self-calibration.js";
import { scoreExperts } from "./internal/scoring.js";
import { chain, isThenable, type MaybePromise } from "./internal/sync.js";
import type { CalibrateOptions, FitOptions, SemanticCalibrationReport, SemanticCalibration, SemanticLayer, SemanticLayerOptions, SemanticLayerStats } from "./types.js";

const DEFAULT_FALLBACK = "coordinator-master";

/** L2-normalised copy of an embedding, or undefined for a zero (or non-finite) vector. */
function toQuery(vector: Float32Array): Float32Array | undefined {
  let squared = 0;
  for (let i = 0; i < vector.length; i++) squared += vector[i]! * vector[i]!;
  if (!(squared > 0 && Number.isFinite(squared))) return undefined;
  const query = new Float32Array(vector.length);
  const scale = 1 / Math.sqrt(squared);
  for (let i = 0; i < vector.length; i++) query[i] = vector[i]! * scale;
  return query;
}

/**
 * Builds the semantic layer from options the layer kit has checked (see `definition.ts`,
 * whose `semanticLayer` is the public factory): the task is embedded and compared with each expert's exemplar
 * utterances; the best expert wins with a calibrated confidence (the probability of being
 * right, fitted on labelled data).
 *
 * Routing is synchronous when the embedder is (no promise on the hot path); with an async
 * embedder `route()` returns a promise. Exemplars are embedded lazily on first use (or on
 * `ready()`), and cached in `persistPath` when given.
 *
 * @example
 * const layer = semanticLayer({ embedder: hashedEmbedder(), experts: DEFAULT_EXPERT_EXEMPLARS });
 * const verdict = await layer.route({ description: "Rotate the leaked API keys" }, { eventId: "1" });
 */
export function buildSemanticLayer(options: SemanticLayerOptions): SemanticLayer {
  const embedder = options.embedder;
  const name = options.name ?? "semantic";
  const scoring = options.scoring ?? "knn";
  const k = options.k ?? 5;
  const fallbackExpert = options.fallbackExpert ?? DEFAULT_FALLBACK;
  const seed = options.seed ?? 42;
  const warn = options.onWarning ?? ((warning) => process.emitWarning(warning));
  const store = new ExemplarStore(embedder, options.persistPath, warn);
  const index = store.index;
  const configured = options.experts ?? {};
  const expertThresholds: Record<string, number> = {};
  const seeds: Seed[] = [];
  for (const [expert, spec] of Object.entries(configured)) {
    if (spec.threshold !== undefined) expertThresholds[expert] = spec.threshold;
    if (spec.description !== undefined) seeds.push({ text: spec.description, expert, kind: "description" });
    for (const text of spec.exemplars) seeds.push({ text, expert, kind: "exemplar" });
  }
  const configuredCalibration = options.calibration === undefined || options.calibration === "exemplars" ? undefined : options.calibration;
  let calibration: SemanticCalibration = configuredCalibration ?? PRIOR_CALIBRATION;
  let calibrationSource: SemanticLayerStats["calibrationSource"] = configuredCalibration ? "configured" : "prior";
  let calibrationSamples = 0;
  let calibratedAtSize = 0;
  const priorWeight = options.calibrationPriorWeight ?? DEFAULT_PRIOR_WEIGHT;
  let phase: "idle" | "loading" | "ready" | "closed" = "idle";
  let loading: Promise<void> | undefined;

  /** Version of the calibration method, part of what a persisted calibration is valid for. */
  const CALIBRATION_METHOD = "monotone-shrunk-v1";
  let calibrationRestored = false;

  function settingsFingerprint(): string {
    return createHash("sha256")
      .update(JSON.stringify([CALIBRATION_METHOD, store.vectorsId, scoring, k]))
      .digest("hex")
      .slice(0, 32);
  }

  function rowsFingerprint(): string {
    const selfSettings = [options.calibrationKind ?? "platt", options.calibrationSample ?? 400, seed, priorWeight];
    return createHash("sha256").update(JSON.stringify(selfSettings)).update(store.rowsFingerprint()).digest("hex").slice(0, 32);
  }

  /** Hands the calibration in force to the store, which writes it with the vectors. */
  function persistCalibration(): void {
    if (configuredCalibration || options.persistPath === undefined) return;
    if (calibrationSource === "configured") return;
    const source = calibrationSource;
    const state = { source, samples: calibrationSamples, atSize: calibratedAtSize, parameters: calibration };
    store.setCalibration(() => ({ settings: settingsFingerprint(), rows: rowsFingerprint(), ...state }));
  }

  /**
   * The calibration saved with the vectors, when it still holds: a fit on held-out data as long
   * as the embedder and scoring are unchanged; a leave-one-out fit (or the prior) only for the
   * very same rows and settings. Saves re-running leave-one-out on every start.
   */
  function restoreCalibration(): boolean {
    const saved = store.savedCalibration;
    if (!saved || saved.settings !== settingsFingerprint()) return false;
    if (saved.source !== "fitted" && saved.rows !== rowsFingerprint()) return false;
    calibration = saved.parameters;
    calibrationSource = saved.source;
    calibrationSamples = saved.samples;
    calibratedAtSize = saved.atSize;
    return true;
  }

  /** Self-calibration, unless the config pinned parameters (kept as given). */
  function recalibrateFromExemplars(): void {
    if (configuredCalibration) return;
    const fitted = selfCalibrate(index, scoring, k, options.calibrationKind ?? "platt", options.calibrationSample ?? 400, seed, priorWeight);
    calibration = fitted?.calibration ?? PRIOR_CALIBRATION;
    calibrationSource = fitted ? "exemplars" : "prior";
    calibrationSamples = fitted?.samples ?? 0;
    calibratedAtSize = index.size;
    persistCalibration();
  }

  /**
   * After learning, a self-calibrated (or still uncalibrated) layer refits on its grown
   * exemplar set - but only once it has grown by a fifth, so a stream of single corrections
   * costs amortised O(1) refits. Fitted and configured parameters are left alone.
   */
  function maybeRecalibrateAfterLearning(): void {
    if (calibrationSource !== "exemplars" && calibrationSource !== "prior") return;
    if (index.size >= calibratedAtSize * 1.2 + 5) recalibrateFromExemplars();
  }

  function checkOpen(): void {
    if (phase === "closed") throw new MoeRouterError(ErrorCode.CLOSED, `The semantic layer "${name}" was closed; create a new one with semanticLayer().`);
  }

  /** Loads exemplars once; plain (no promise) when the embedder is synchronous. */
  function ensureReady(): MaybePromise<void> {
    checkOpen();
    // An embedder whose id changed (e.g. IDF refitted) makes every stored vector stale.
    if (phase === "ready" && !store.stale) return undefined;
    if (phase === "loading") return loading!;
    const first = phase === "idle";
    phase = "loading";
    let result: MaybePromise<void>;
    try {
      result = chain(first ? store.load(seeds) : store.reembed(), () => {
        // Fitted parameters describe the old vectors; the exemplars are the data left to refit on.
        calibrationRestored = first && !configuredCalibration && restoreCalibration();
        if (calibrationRestored) persistCalibration();
        else recalibrateFromExemplars();
        if (phase === "loading") phase = "ready";
      });
    } catch (error) {
      phase = first ? "idle" : "ready";
      throw error;
    }
    if (!isThenable(result)) return undefined;
    loading = result.catch((error: unknown) => {
      // Let a later call retry (e.g. a model that failed to load because of a transient error).
      if (phase === "loading") phase = first ? "idle" : "ready";
      loading = undefined;
      throw error;
    });
    return loading;
  }

  function allowedExperts(context: LayerContext | undefined): Set<number> | undefined {
    if (!context?.experts?.length) return undefined;
    const ids = new Set<number>();
    for (const expert of context.experts) {
      const id = index.findExpert(expert);
      if (id !== undefined) ids.add(id);
    }
    return ids;
  }

  function fallbackVerdict(reason: string): Verdict {
    return { expert: fallbackExpert, confidence: 0, details: { reason, cluster: fallbackExpert } };
  }

  function verdictFor(vector: Float32Array, context: LayerContext | undefined): Verdict {
    const query = toQuery(vector);
    // A text with no features the embedder knows (e.g. "!!! ???" for an n-gram model) says nothing.
    if (query === undefined) return fallbackVerdict("no_signal");
    const result = scoreExperts(index, query, scoring, k, allowedExperts(context));
    if (result.experts.length === 0) return fallbackVerdict("no_exemplars");
    const ranking = rank(result.scores);
    const names = result.experts.map((id) => index.experts[id]!);
    const distribution = softmax(result.scores, calibration.temperature);
    const probabilities: Record<string, number> = {};
    names.forEach((expert, i) => (probabilities[expert] = distribution[i]!));
    const expert = names[ranking.winner]!;
    const confidence = confidenceOf(calibration, result.scores, ranking);
    const details: Record<string, unknown> = {
      similarity: result.nearestSimilarity[ranking.winner],
      nearest_exemplar: index.texts[result.nearestRow[ranking.winner]!],
      margin: ranking.margin,
      cluster: expert,
      score: ranking.top,
      scoring,
      calibration_source: calibrationSource,
      calibration_samples: calibrationSamples,
      ...(ranking.runnerUp >= 0 ? { runner_up: names[ranking.runnerUp] } : {}),
    };
    const floor = expertThresholds[expert];
    if (floor !== undefined) {
      details.expert_threshold = floor;
      if (confidence < floor) {
        // Abstain: 0 is below any cascade threshold, so the next layer decides; keep the real value for analysis.
        return { expert, confidence: 0, probabilities, details: { ...details, raw_confidence: confidence, below_expert_threshold: true } };
      }
    }
    return { expert, confidence, probabilities, details };
  }

  function embedOne(text: string): MaybePromise<Float32Array> {
    return chain(store.embed([text]), (vectors) => vectors[0]!);
  }

  async function calibrateOn(validation: readonly LabelledExample[], calibrateOptions: CalibrateOptions): Promise<SemanticCalibrationReport> {
    checkExamples(validation, "calibrate()");
    await ensureReady();
    const vectors = await store.embed(validation.map((example) => example.text));
    const samples: CalibrationSample[] = [];
    let unknownExpert = 0;
    validation.forEach((example, i) => {
      const id = index.findExpert(example.expert);
      if (id === undefined || index.counts[id] === 0) unknownExpert++;
      const query = toQuery(vectors[i]!);
      // A text without signal gets the fallback verdict at confidence 0 when routed: an empty score list says so.
      if (query === undefined) return samples.push({ scores: new Float64Array(0), truth: -1 });
      const result = scoreExperts(index, query, scoring, k, undefined);
      samples.push({ scores: result.scores, truth: id === undefined ? -1 : result.experts.indexOf(id) });
    });
    const before = evaluateCalibration(samples, calibration);
    const fitted = fitCalibration(samples, calibrateOptions.kind ?? "platt", calibrateOptions.feature ?? DEFAULT_FEATURE, calibrateOptions.priorWeight ?? priorWeight);
    const after = evaluateCalibration(samples, fitted);
    calibration = fitted;
    calibrationSource = "fitted";
    calibrationSamples = samples.length;
    calibratedAtSize = index.size;
    persistCalibration();
    await store.flush();
    return { parameters: calibration, examples: samples.length, unknownExpert, accuracy: after.accuracy, eceRaw: after.eceRaw, eceBefore: before.ece, eceAfter: after.ece };
  }

  let capabilities: LayerCapabilities | undefined;
  let capabilitiesExperts = -1;

  const layer: SemanticLayer = {
    name,
    get capabilities(): LayerCapabilities {
      // The cascade reads this on every route: rebuild only when learning added an expert.
      if (capabilities === undefined || capabilitiesExperts !== index.experts.length) {
        const experts = new Set([...Object.keys(configured), ...index.experts, fallbackExpert]);
        capabilities = Object.freeze({
          learn: true,
          fit: true,
          calibrate: true,
          ready: true,
          deterministic: true,
          async: true,
          persistence: options.persistPath !== undefined,
          experts: Object.freeze([...experts].sort()),
        });
        capabilitiesExperts = index.experts.length;
      }
      return capabilities;
    },
    route(task: RoutingTask, context: LayerContext): Verdict | Promise<Verdict> {
      if (context?.signal?.aborted) throw new MoeRouterError(ErrorCode.LAYER_TIMEOUT, `The semantic layer "${name}" was aborted before it started (time budget spent).`);
      return chain(ensureReady(), () => chain(embedOne(task.description), (vector) => verdictFor(vector, context)));
    },
    async learn(examples: readonly LabelledExample[]): Promise<void> {
      checkExamples(examples, "learn()");
      await ensureReady();
      await store.learn(examples);
      maybeRecalibrateAfterLearning();
    },
    async fit(examples: readonly LabelledExample[], fitOptions: FitOptions = {}): Promise<SemanticCalibrationReport> {
      checkExamples(examples, "fit()");
      const share = fitOptions.validationShare ?? 0.1;
      if (!(share > 0 && share < 1)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `fit(): validationShare must be between 0 and 1 (exclusive); got ${String(share)}.`);
      const { train, validation } = fitOptions.validation ? { train: [...examples], validation: [...fitOptions.validation] } : stratifiedSplit(examples, share, fitOptions.seed ?? seed);
      await ensureReady();
      await store.learn(train); // not layer.learn(): no self-calibration that the fit replaces anyway
      return calibrateOn(validation, {
        kind: fitOptions.kind ?? "platt",
        feature: fitOptions.feature ?? DEFAULT_FEATURE,
        ...(fitOptions.priorWeight !== undefined ? { priorWeight: fitOptions.priorWeight } : {}),
      });
    },
    calibrate(validation: readonly LabelledExample[], calibrateOptions: CalibrateOptions = {}): Promise<SemanticCalibrationReport> {
      return calibrateOn(validation, calibrateOptions);
    },
    async ready(): Promise<void> {
      await ensureReady();
      await store.flush();
    },
    getCalibration: () => calibration,
    getExpertThresholds: () => ({ ...expertThresholds }),
    stats(): SemanticLayerStats {
      const experts = index.experts.filter((_, id) => index.counts[id]! > 0);
      return { exemplars: index.size, experts, embedded: store.embedded, loadedFromCache: store.loadedFromCache, calibrationSource, calibrationSamples, calibrationRestored };
    },
    async close(): Promise<void> {
      if (phase === "closed") return;
      const wasLoading = loading;
      phase = "closed";
      await wasLoading?.catch(() => undefined);
      await store.flush();
    },
  };
  return layer;
}
