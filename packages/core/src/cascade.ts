import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { validateCascadeOptions, isUnitInterval, type CascadeOptions } from "./config.js";
import { ErrorCode, MoeRouterError, toAttemptError } from "./errors.js";
import { assignVariant, sampled, type Variant } from "./experiment.js";
import { hasVisibleText } from "./internal/blank.js";
import { clarify } from "./internal/clarify.js";
import { ObserverHub } from "./internal/observers.js";
import { checkVerdict } from "./kit/verdict.js";
import { isThenable } from "./kit/thenable.js";
import type { Decision, LabelledExample, Layer, LayerAttempt, LayerContext, RoutingTask, Verdict } from "./types.js";

/** Counters a cascade keeps about itself. */
export interface CascadeStats {
  readonly routes: number;
  readonly clarifications: number;
  /** Attempts that errored (threw, timed out, malformed), by layer. */
  readonly layerErrors: Readonly<Record<string, number>>;
  /** Observer hooks that threw (never fatal). */
  readonly observerErrors: number;
}

/** A built cascade. */
export interface Cascade {
  /**
   * Routes a task through the layers. Resolves; never rejects for a failing layer. When an
   * observer applies backpressure (the tracker's store is over its high-water mark), it
   * resolves once the observer's promise settles, so an awaited routing loop waits for the
   * store instead of outrunning it.
   */
  route(task: RoutingTask): Promise<Decision>;
  /**
   * Routes without any promise when every layer is synchronous (the hot path for
   * keyword-only cascades). Throws MOE_ASYNC_LAYER_IN_SYNC_ROUTE if a layer is async.
   * It never waits for observers: under sustained load a store buffers up to its hard limit
   * (in bytes) and then drops and counts records; use `route()` for backpressure.
   */
  routeSync(task: RoutingTask): Decision;
  /** Sends labelled examples to every layer that can learn; returns errors by layer. */
  learn(examples: readonly LabelledExample[]): Promise<Record<string, Error>>;
  /** Layer names in cascade order. */
  readonly layerNames: readonly string[];
  /** Current (control) thresholds by layer name. */
  getThresholds(): Record<string, number>;
  /** Replaces some thresholds (e.g. from a tuned thresholds file). Validated. */
  setThresholds(thresholds: Readonly<Record<string, number>>): void;
  stats(): CascadeStats;
  /** Closes every layer. */
  close(): Promise<void>;
}

interface RouteState {
  readonly eventId: string;
  readonly timestamp: string;
  readonly task: RoutingTask;
  readonly started: number;
  readonly thresholds: Record<string, number>;
  readonly variant: Variant | undefined;
  readonly shadow: boolean;
  readonly attempts: LayerAttempt[];
  decided: LayerAttempt | undefined;
  /** Backpressure from an observer (a store over its high-water mark): route() waits on it. */
  wait: PromiseLike<void> | undefined;
}

const DEFAULT_FALLBACK = "coordinator-master";

/** Writable view of a readonly contract type, for building results field by field. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The decision once an observer's backpressure promise settles (a rejection never fails routing). */
function afterWait(wait: PromiseLike<void>, decision: Decision): Promise<Decision> {
  return Promise.resolve(wait).then(
    () => decision,
    () => decision,
  );
}

/**
 * Builds a cascade: the first layer whose confidence >= its threshold decides;
 * otherwise the clarification fallback answers (coordinator, with a reason).
 *
 * @example
 * const cascade = createCascade({ layers: [{ layer: keywordLayer(), threshold: 0.85 }] });
 * const decision = await cascade.route({ description: "Deploy API to production" });
 */
export function createCascade(options: CascadeOptions): Cascade {
  validateCascadeOptions(options);
  const layers: Layer[] = options.layers.map((l) => l.layer);
  const timeouts = options.layers.map((l) => l.timeoutMs ?? options.layerTimeoutMs ?? 2_000);
  let thresholds: Record<string, number> = Object.fromEntries(options.layers.map((l) => [l.layer.name, l.threshold]));
  const fallbackExpert = options.fallback?.expert ?? DEFAULT_FALLBACK;
  const margin = options.fallback?.ambiguityMargin ?? 0.1;
  const experts = options.experts ? new Set(options.experts) : undefined;
  const expertList = options.experts ? [...options.experts] : undefined;
  const outOfScope = options.outOfScopeExperts?.length ? new Set(options.outOfScopeExperts) : undefined;
  const maxLength = options.maxDescriptionLength ?? 10_000;
  const hub = new ObserverHub(options.observers ?? []);
  const generateEventId = options.generateEventId ?? randomUUID;
  const experiment = options.experiment;
  const shadowShare = options.shadowShare ?? 0;
  const layerErrors: Record<string, number> = {};
  let routes = 0;
  let clarifications = 0;
  let closed = false;

  function validateTask(task: RoutingTask): void {
    if (closed) throw new MoeRouterError(ErrorCode.CLOSED, "This cascade was closed; build a new one with createCascade().");
    if (task === null || typeof task !== "object") {
      throw new MoeRouterError(ErrorCode.INVALID_TASK, 'route() needs a task object such as { description: "Fix login bug" }.');
    }
    const description = task.description;
    if (typeof description !== "string" || !hasVisibleText(description)) {
      throw new MoeRouterError(
        ErrorCode.INVALID_TASK,
        typeof description === "string" && description.length > 0
          ? "The task description shows nothing (only spaces, control or zero-width characters); give a short sentence saying what needs doing."
          : "The task description is empty; give a short sentence saying what needs doing.",
      );
    }
    if (description.length > maxLength) {
      throw new MoeRouterError(ErrorCode.TASK_TOO_LONG, `The task description has ${description.length} characters; the limit is ${maxLength}. Summarise it, or raise maxDescriptionLength.`, {
        data: { length: description.length, limit: maxLength },
      });
    }
  }

  function begin(task: RoutingTask): RouteState {
    validateTask(task);
    routes++;
    const eventId = generateEventId();
    const key = task.id ?? task.description;
    const variant = experiment ? assignVariant(key, experiment.name, experiment.share) : undefined;
    const active = variant === "candidate" ? { ...thresholds, ...experiment!.candidateThresholds } : thresholds;
    const state: RouteState = {
      eventId,
      timestamp: new Date().toISOString(),
      task,
      started: performance.now(),
      thresholds: active,
      variant,
      shadow: shadowShare > 0 && sampled(key, "shadow", shadowShare),
      attempts: [],
      decided: undefined,
      wait: undefined,
    };
    if (hub.wantsRouteStart) hub.onRouteStart({ eventId, task, timestamp: state.timestamp });
    return state;
  }

  function record(state: RouteState, index: number, started: number, outcome: { verdict?: unknown; error?: unknown }): void {
    const layer = layers[index]!;
    const latencyMs = performance.now() - started;
    const threshold = state.thresholds[layer.name]!;
    const shadow = state.decided !== undefined;
    let attempt: LayerAttempt;
    let problem = outcome.error !== undefined ? outcome.error : checkVerdict(outcome.verdict, layer.name, experts);
    if (problem === undefined && latencyMs > timeouts[index]!) {
      problem = new MoeRouterError(ErrorCode.LAYER_TIMEOUT, `Layer "${layer.name}" took ${latencyMs.toFixed(1)} ms, over its ${timeouts[index]} ms budget; raise timeoutMs or speed the layer up.`);
    }
    if (problem !== undefined) {
      layerErrors[layer.name] = (layerErrors[layer.name] ?? 0) + 1;
      const errored: Mutable<LayerAttempt> = { layer: layer.name, threshold, accepted: false, latencyMs, error: toAttemptError(problem) };
      if (shadow) errored.shadow = true;
      attempt = errored;
    } else {
      const verdict = outcome.verdict as Verdict;
      const accepted = !shadow && verdict.confidence >= threshold;
      const answered: Mutable<LayerAttempt> = { layer: layer.name, expert: verdict.expert, confidence: verdict.confidence, threshold, accepted, latencyMs };
      if (verdict.probabilities) answered.probabilities = verdict.probabilities;
      if (verdict.details) answered.details = verdict.details;
      if (shadow) answered.shadow = true;
      attempt = answered;
      if (accepted) state.decided = attempt;
    }
    state.attempts.push(attempt);
    if (hub.wantsLayerVerdict) hub.onLayerVerdict({ eventId: state.eventId, attempt });
  }

  function contextFor(state: RouteState, index: number): { context: LayerContext; controller: AbortController | undefined } {
    const controller = layers[index]!.capabilities?.async ? new AbortController() : undefined;
    const context: Mutable<LayerContext> = { eventId: state.eventId };
    if (expertList) context.experts = expertList;
    if (controller) context.signal = controller.signal;
    return { context, controller };
  }

  /** Runs layers from `index` on; sync until a layer returns a promise. */
  function run(state: RouteState, index: number, allowAsync: boolean): Decision | Promise<Decision> {
    for (let i = index; i < layers.length; i++) {
      if (state.decided && !state.shadow) break;
      const layer = layers[i]!;
      if (hub.wantsLayerStart) hub.onLayerStart({ eventId: state.eventId, layer: layer.name });
      const { context, controller } = contextFor(state, i);
      const started = performance.now();
      let result: unknown;
      try {
        result = layer.route(state.task, context);
      } catch (error) {
        record(state, i, started, { error });
        continue;
      }
      if (isThenable(result)) {
        if (!allowAsync) {
          Promise.resolve(result).catch(() => undefined);
          throw new MoeRouterError(ErrorCode.ASYNC_LAYER_IN_SYNC_ROUTE, `Layer "${layer.name}" is asynchronous; use cascade.route() instead of routeSync().`);
        }
        return awaitLayer(state, i, started, result, controller).then(() => run(state, i + 1, true));
      }
      record(state, i, started, { verdict: result });
    }
    return finish(state);
  }

  function awaitLayer(state: RouteState, index: number, started: number, pending: PromiseLike<unknown>, controller: AbortController | undefined): Promise<void> {
    const budget = timeouts[index]!;
    return new Promise<void>((resolve) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        controller?.abort();
        record(state, index, started, {
          error: new MoeRouterError(ErrorCode.LAYER_TIMEOUT, `Layer "${layers[index]!.name}" did not answer within ${budget} ms; raise timeoutMs or speed the layer up.`),
        });
        resolve();
      }, budget);
      Promise.resolve(pending).then(
        (verdict) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          record(state, index, started, { verdict });
          resolve();
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          record(state, index, started, { error });
          resolve();
        },
      );
    });
  }

  function finish(state: RouteState): Decision {
    // A confident "no expert" verdict is a clarification, not a route.
    const outOfScopeBy = state.decided && outOfScope?.has(state.decided.expert!) ? state.decided : undefined;
    const decided = outOfScopeBy ? undefined : state.decided;
    // Built field by field (no object spreads): this runs once per route on the hot path.
    const decision: Mutable<Decision> = {
      eventId: state.eventId,
      timestamp: state.timestamp,
      task: state.task,
      expert: decided ? decided.expert! : fallbackExpert,
      layer: decided ? decided.layer : "clarification",
      confidence: decided ? decided.confidence! : 1,
      attempts: state.attempts,
      thresholds: state.thresholds,
      latencyMs: 0,
    };
    if (decided) {
      if (decided.probabilities) decision.probabilities = decided.probabilities;
    } else {
      clarifications++;
      decision.clarification = outOfScopeBy ? { reason: "out_of_scope", candidates: [outOfScopeBy.expert!] } : clarify(state.attempts, margin);
    }
    if (state.variant && experiment) decision.experiment = { name: experiment.name, variant: state.variant };
    if (state.shadow) decision.shadow = true;
    decision.latencyMs = performance.now() - state.started;
    state.wait = hub.onDecision(decision);
    return decision;
  }

  return {
    layerNames: layers.map((l) => l.name),
    route(task) {
      try {
        const state = begin(task);
        const result = run(state, 0, true);
        if (isThenable(result)) return Promise.resolve(result).then((decision) => (state.wait ? afterWait(state.wait, decision) : decision));
        return state.wait ? afterWait(state.wait, result) : Promise.resolve(result);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    routeSync(task) {
      return run(begin(task), 0, false) as Decision;
    },
    async learn(examples) {
      const errors: Record<string, Error> = {};
      for (const layer of layers) {
        if (typeof layer.learn !== "function") continue;
        try {
          await layer.learn(examples);
        } catch (error) {
          errors[layer.name] = error instanceof Error ? error : new Error(String(error));
        }
      }
      return errors;
    },
    getThresholds() {
      return { ...thresholds };
    },
    setThresholds(next) {
      for (const [name, value] of Object.entries(next)) {
        if (!(name in thresholds)) {
          throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `No layer named "${name}" in this cascade (layers: ${layers.map((l) => l.name).join(", ")}).`);
        }
        if (!isUnitInterval(value)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Threshold for "${name}" must be in [0,1]; got ${String(value)}.`);
      }
      thresholds = { ...thresholds, ...next };
    },
    stats() {
      return { routes, clarifications, layerErrors: { ...layerErrors }, observerErrors: hub.errors };
    },
    async close() {
      closed = true;
      for (const layer of layers) await layer.close?.();
    },
  };
}
