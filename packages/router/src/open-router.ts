import { ErrorCode, MoeRouterError, type Cascade, type CascadeObserver, type CascadeStats, type Decision, type Embedder, type Layer, type RoutingTask } from "@moe-router/core";
import type { OutcomeInput, RecordedOutcome, RoutingEvent, Tracker, TrackerStats } from "@moe-router/tracker";
import type { ThresholdsFile } from "@moe-router/tuner";
import { buildRouter, createCascadeFor, type BuiltRouter } from "./build-router.js";
import { loadRouterConfig, validateRouterConfig, type LoadedConfig } from "./config/load.js";
import type { RouterConfig } from "./config/types.js";
import { learnFromOutcomes, type LearnOptions, type LearnReport } from "./learn.js";
import { silentLogger, type RouterLogger } from "./logger.js";
import { decisionOutput } from "./output.js";
import { configThresholdsSource, thresholdsStoreSpec, type ClosableThresholdsSource } from "./thresholds-store-source.js";
import { readThresholdsSafely, thresholdsInForce, withTunedExperiment, type ThresholdSource, type ThresholdsReport, type ThresholdsSource } from "./thresholds.js";
import { openTracking, storeSpec, type Tracking } from "./tracking.js";

/** Options of {@link openRouter}. */
export interface OpenRouterOptions {
  /** A config file (JSON or YAML, relative to `cwd`), a config object, or nothing for the embedded default. */
  readonly config?: string | RouterConfig;
  /** Directory relative paths resolve against. Default: process.cwd(). */
  readonly cwd?: string;
  /** Adjusts the loaded config before use (e.g. another data directory); applied again on reload. */
  readonly adjustConfig?: (config: RouterConfig) => RouterConfig;
  /** A store spec that overrides `tracking.store` (e.g. `postgres://...`). */
  readonly store?: string;
  /** No tracking, whatever the config says. */
  readonly noTrack?: boolean;
  /**
   * The router cannot work without its store: a store that fails to open rejects `openRouter`
   * (default: it is logged, and tracking is off for this router).
   */
  readonly requireStore?: boolean;
  /** Where warnings (and, with `verbose`, facts such as the modules loaded) go. Default: nowhere. */
  readonly logger?: RouterLogger;
  /** Log the modules loaded and the thresholds the tuned file overrides (logger.info). */
  readonly verbose?: boolean;
  /** More observers of every decision (metrics, logs); the tracker is added after them. */
  readonly observers?: readonly CascadeObserver[];
  /** Where tuned thresholds come from. Default: the config's thresholds file. */
  readonly thresholdsSource?: ThresholdsSource;
  /** Re-read the tuned thresholds when they change (polling every `intervalMs`, default 1000). */
  readonly watchThresholds?: boolean | { readonly intervalMs?: number };
  /** Force the shadow sampling share (evaluation runs every layer with 1). */
  readonly shadowShare?: number;
}

/** Options of {@link Router.route}. */
export interface RouteOptions {
  /** Resolve only once the decision is durable in the store (`flush()`); concurrent calls share writes. */
  readonly durable?: boolean;
}

/** Result of {@link Router.ready}. */
export interface Readiness {
  readonly ok: boolean;
  /** Why it is not ready (empty when ok). */
  readonly reasons: readonly string[];
}

/** Counters of a router since it was opened. */
export interface RouterStats {
  readonly cascade: CascadeStats;
  /** Tracker counters, when tracking is on. */
  readonly tracker?: TrackerStats;
  /** Config reloads applied, and refused (invalid new config). */
  readonly reloads: { readonly applied: number; readonly failed: number };
  /** Tuned thresholds re-read (watch or reload) and applied. */
  readonly thresholdUpdates: number;
}

/** What a reload changed. */
export interface ReloadResult {
  readonly config: string;
  readonly layers: readonly string[];
  readonly thresholds: ThresholdsReport;
  /** Notes for the operator (e.g. a store change that needs a restart). */
  readonly notes: readonly string[];
}

/** A running router: a cascade built from a config, with tracking, tuned thresholds and learning. */
export interface Router {
  /** The config in force (after `adjustConfig` and the tuned file's experiment). */
  readonly config: RouterConfig;
  /** The config file's path, "embedded default", or "config object". */
  readonly configSource: string;
  /** The cascade in force (replaced by reloads and experiment changes). */
  readonly cascade: Cascade;
  readonly layers: readonly Layer[];
  readonly embedder: Embedder | undefined;
  /** Absolute data directory layers persist state in. */
  readonly dataDir: string;
  /** The recording observer, unless tracking is off. */
  readonly tracker: Tracker | undefined;
  /** The store spec in use, unless tracking is off. */
  readonly storeSpec: string | undefined;
  /** Routes one task. Rejects only for a bad task (MOE_INVALID_TASK, MOE_TASK_TOO_LONG) or after close (MOE_CLOSED). */
  route(task: RoutingTask, options?: RouteOptions): Promise<Decision>;
  /** Routes tasks in order; the decisions are in the same order. */
  routeBatch(tasks: readonly RoutingTask[], options?: RouteOptions): Promise<Decision[]>;
  /** The JSON `moe-router route` prints for a decision, with each attempt's `threshold_source`. */
  output(decision: Decision): Record<string, unknown>;
  /**
   * Records what happened to a routed task. Resolves once the outcome is durable.
   * @throws MoeRouterError NOT_FOUND (unknown event id; `error.data.eventId`), INVALID_CONFIG (contradictory
   *   outcome), STORE_FAILED (not durable, or tracking could not be opened), CLOSED, or INVALID_CONFIG when tracking is off.
   */
  recordOutcome(eventId: string, outcome: OutcomeInput): Promise<RecordedOutcome>;
  /** One decision record with its latest outcome merged (the log's snake_case fields); undefined when unknown. */
  getEvent(eventId: string): Promise<RoutingEvent | undefined>;
  /** Makes every decision routed so far durable. */
  flush(): Promise<void>;
  /** Applies corrected outcomes not yet learned to every learnable layer; see {@link LearnReport}. */
  learn(options?: LearnOptions): Promise<LearnReport>;
  /** The thresholds in force, layer by layer, and where each comes from. */
  thresholds(): ThresholdsReport;
  /** Re-reads the tuned thresholds now; true when they changed what is in force. */
  reloadThresholds(): Promise<boolean>;
  /**
   * Re-reads the config (when it came from a file) and the tuned thresholds, starts the new
   * layers and swaps them in; routes in flight finish on the old ones. An invalid new config
   * (or a layer that fails to start) rejects with its coded error and the running router stays.
   */
  reload(): Promise<ReloadResult>;
  /** Polls the tuned thresholds every `intervalMs` (default 1000) and applies changes; returns stop. */
  watchThresholds(options?: { readonly intervalMs?: number }): () => void;
  /** Layers loaded and store reachable (within `timeoutMs`, default 2000). */
  ready(options?: { readonly timeoutMs?: number }): Promise<Readiness>;
  stats(): RouterStats;
  /** Stops watching, closes the layers, flushes and closes the store. Idempotent. */
  close(): Promise<void>;
}

/** A config, built layers, and what routes are using them. */
interface Generation {
  readonly loaded: LoadedConfig;
  /** The config after adjustConfig, before the tuned experiment. */
  readonly base: RouterConfig;
  readonly built: BuiltRouter;
  cascade: Cascade;
  config: RouterConfig;
  tuned: ThresholdsFile | undefined;
  inflight: number;
  retired: boolean;
  closed?: Promise<void>;
}

function emptyStats(): { routes: number; clarifications: number; layerErrors: Record<string, number>; observerErrors: number } {
  return { routes: 0, clarifications: 0, layerErrors: {}, observerErrors: 0 };
}

function addStats(into: ReturnType<typeof emptyStats>, stats: CascadeStats): void {
  into.routes += stats.routes;
  into.clarifications += stats.clarifications;
  into.observerErrors += stats.observerErrors;
  for (const [layer, count] of Object.entries(stats.layerErrors)) into.layerErrors[layer] = (into.layerErrors[layer] ?? 0) + count;
}

async function loadConfigFrom(options: OpenRouterOptions, cwd: string): Promise<LoadedConfig> {
  if (options.config === undefined || typeof options.config === "string") return loadRouterConfig(options.config, cwd);
  return { config: validateRouterConfig(options.config, "config object"), configDir: cwd, source: "config object" };
}

function sameExperiment(a: RouterConfig["experiment"], b: RouterConfig["experiment"]): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MoeRouterError(ErrorCode.STORE_FAILED, message)), ms);
      timer.unref?.();
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Opens a running router from a config file or object: loads and validates the config,
 * reads the tuned thresholds, opens tracking, starts every layer within its start-up budget
 * and builds the cascade. The CLI and the HTTP service both use it.
 *
 * @example
 * const router = await openRouter({ config: "moe-router.yaml" });
 * const decision = await router.route({ description: "Deploy API to production" });
 * console.log(router.output(decision)); // { master: "cicd-master", layer: "keyword", ... }
 * await router.recordOutcome(decision.eventId, { completed: true, correct: true });
 * await router.close();
 */
export async function openRouter(options: OpenRouterOptions = {}): Promise<Router> {
  const cwd = options.cwd ?? process.cwd();
  const logger: RouterLogger = options.logger ?? silentLogger;
  const verboseLogger: RouterLogger = options.verbose ? logger : { warn: (line) => logger.warn(line) };
  const userObservers = options.observers ?? [];

  const loadBase = async (): Promise<{ loaded: LoadedConfig; base: RouterConfig }> => {
    const loaded = await loadConfigFrom(options, cwd);
    const base = options.adjustConfig ? validateRouterConfig(options.adjustConfig(loaded.config), loaded.source) : loaded.config;
    return { loaded, base };
  };

  const first = await loadBase();
  // A config's source is reused while it names the same place, so a reload does not open
  // another connection to a shared thresholds table.
  let sourceSpec: string | undefined;
  const thresholdsSource = (base: RouterConfig): ThresholdsSource => {
    if (options.thresholdsSource) return options.thresholdsSource;
    const spec = thresholdsStoreSpec(base, cwd);
    return spec === sourceSpec ? source : configThresholdsSource(base, cwd);
  };
  let source: ThresholdsSource = thresholdsSource(first.base);
  sourceSpec = options.thresholdsSource ? undefined : thresholdsStoreSpec(first.base, cwd);
  const closeSource = async (closing: ThresholdsSource) => {
    if (closing !== options.thresholdsSource) await (closing as Partial<ClosableThresholdsSource>).close?.();
  };
  const tuned = (await readThresholdsSafely(source, logger)).file;
  const config = withTunedExperiment(first.base, tuned);

  let tracking: Tracking | undefined;
  let trackingSpec: string | undefined;
  if (!options.noTrack) {
    tracking = await openTracking(config, { cwd, logger }, { ...(options.store !== undefined ? { store: options.store } : {}), ...(options.requireStore ? { required: true } : {}) });
    trackingSpec = storeSpec(config, options.store);
  }
  const trackingWanted = !options.noTrack && !(options.store === undefined && config.tracking?.enabled === false);
  const observers = (): CascadeObserver[] => [...userObservers, ...(tracking ? [tracking.tracker] : [])];

  const build = async (loaded: LoadedConfig, base: RouterConfig, file: ThresholdsFile | undefined): Promise<Generation> => {
    const built = await buildRouter(withTunedExperiment(base, file), {
      cwd,
      configDir: loaded.configDir,
      observers: observers(),
      ...(file ? { thresholds: file.thresholds } : {}),
      ...(options.shadowShare !== undefined ? { shadowShare: options.shadowShare } : {}),
      logger: verboseLogger,
    });
    return { loaded, base, built, cascade: built.cascade, config: built.config, tuned: file, inflight: 0, retired: false };
  };

  let gen: Generation;
  try {
    gen = await build(first.loaded, first.base, tuned);
  } catch (error) {
    await closeSource(source).catch(() => undefined);
    await tracking?.close();
    throw error;
  }

  const retiredStats = emptyStats();
  let reloadsApplied = 0;
  let reloadsFailed = 0;
  let thresholdUpdates = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  const stopWatchers = new Set<() => void>();

  const report = (g: Generation): ThresholdsReport =>
    thresholdsInForce(
      g.built.layers.map((layer, i) => ({ name: layer.name, configThreshold: g.built.entries[i]!.threshold })),
      g.base,
      g.tuned,
      source.description,
    );
  let sources: Record<string, ThresholdSource> = {};
  let experimentLayers = new Set<string>();
  const refreshSources = () => {
    const r = report(gen);
    sources = Object.fromEntries(r.layers.map((l) => [l.layer, l.source]));
    experimentLayers = new Set(r.layers.filter((l) => l.experiment).map((l) => l.layer));
    return r;
  };
  const announce = (r: ThresholdsReport) => {
    for (const layer of r.layers) {
      if (layer.source === "thresholds-file" && layer.threshold !== layer.configThreshold) {
        verboseLogger.info?.(`info: ${r.source} overrides the config: layer "${layer.layer}" threshold ${layer.configThreshold} -> ${layer.threshold}`);
      }
    }
    if (r.experiment) verboseLogger.info?.(`info: experiment "${r.experiment.name}" (${r.experiment.source}) routes ${r.experiment.share} of tasks with candidate thresholds`);
  };
  announce(refreshSources());

  const retire = (old: Generation) => {
    old.retired = true;
    addStats(retiredStats, old.cascade.stats());
    if (old.inflight === 0) old.closed ??= old.built.close().catch(() => {});
  };

  const ensureOpen = () => {
    if (closed) throw new MoeRouterError(ErrorCode.CLOSED, "The router was closed; open a new one with openRouter().");
  };

  const routeOne = async (task: RoutingTask): Promise<Decision> => {
    const g = gen;
    g.inflight++;
    try {
      return await g.cascade.route(task);
    } finally {
      g.inflight--;
      if (g.retired && g.inflight === 0) g.closed ??= g.built.close().catch(() => {});
    }
  };

  /** Applies a tuned file to the generation: thresholds in place, a new cascade when the experiment changed. */
  const applyTuned = (g: Generation, file: ThresholdsFile | undefined): boolean => {
    const before = JSON.stringify(report(g).layers);
    const config = withTunedExperiment(g.base, file);
    const experimentChanged = !sameExperiment(config.experiment, g.config.experiment);
    if (experimentChanged) {
      addStats(retiredStats, g.cascade.stats());
      g.cascade = createCascadeFor({
        config,
        layers: g.built.layers,
        entries: g.built.entries,
        observers: observers(),
        ...(file ? { thresholds: file.thresholds } : {}),
        ...(options.shadowShare !== undefined ? { shadowShare: options.shadowShare } : {}),
      });
      g.config = config;
    } else {
      const next = Object.fromEntries(g.built.layers.map((layer, i) => [layer.name, file?.thresholds[layer.name] ?? g.built.entries[i]!.threshold]));
      g.cascade.setThresholds(next);
    }
    g.tuned = file;
    return experimentChanged || JSON.stringify(report(g).layers) !== before;
  };

  const reloadThresholds = async (): Promise<boolean> => {
    ensureOpen();
    const { file, error } = await readThresholdsSafely(source, logger);
    if (error) return false; // a corrupt file keeps what is in force
    const changed = applyTuned(gen, file);
    if (changed) {
      thresholdUpdates++;
      const r = refreshSources();
      announce(r);
      logger.info?.(`info: thresholds reloaded from ${source.description}: ${r.layers.map((l) => `${l.layer} ${l.threshold} (${l.source})`).join(", ")}`);
    }
    return changed;
  };

  const router: Router = {
    get config() {
      return gen.config;
    },
    get configSource() {
      return gen.loaded.source;
    },
    get cascade() {
      return gen.cascade;
    },
    get layers() {
      return gen.built.layers;
    },
    get embedder() {
      return gen.built.embedder;
    },
    get dataDir() {
      return gen.built.dataDir;
    },
    get tracker() {
      return tracking?.tracker;
    },
    get storeSpec() {
      return tracking ? trackingSpec : undefined;
    },
    async route(task, routeOptions) {
      ensureOpen();
      const decision = await routeOne(task);
      if (routeOptions?.durable) await tracking?.tracker.flush();
      return decision;
    },
    async routeBatch(tasks, routeOptions) {
      ensureOpen();
      if (!Array.isArray(tasks)) throw new MoeRouterError(ErrorCode.INVALID_TASK, "routeBatch needs an array of tasks { description, id?, metadata? }.");
      const decisions: Decision[] = [];
      for (const task of tasks) decisions.push(await routeOne(task));
      if (routeOptions?.durable) await tracking?.tracker.flush();
      return decisions;
    },
    output(decision) {
      return decisionOutput(decision, { thresholdSources: sources, experimentLayers });
    },
    async recordOutcome(eventId, outcome) {
      ensureOpen();
      if (!tracking) {
        if (trackingWanted)
          throw new MoeRouterError(
            ErrorCode.STORE_FAILED,
            `The event store ${trackingSpec ?? ""} could not be opened when the router started, so outcomes cannot be recorded; fix the store and reload or restart.`,
          );
        throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "Tracking is off for this router (noTrack or tracking.enabled: false), so outcomes cannot be recorded; enable tracking or pass a store.");
      }
      const droppedBefore = tracking.tracker.stats().store.dropped;
      const recorded = await tracking.tracker.recordOutcome(eventId, outcome);
      if (tracking.tracker.stats().store.dropped > droppedBefore) {
        throw new MoeRouterError(ErrorCode.STORE_FAILED, `The outcome for event ${eventId} may not be durable: the store refused records while it was written (closed or full). Record it again.`, {
          data: { eventId },
        });
      }
      return recorded;
    },
    async getEvent(eventId) {
      ensureOpen();
      if (typeof eventId !== "string" || eventId === "") throw new MoeRouterError(ErrorCode.INVALID_TASK, "getEvent needs the event id string `route` returned.");
      if (!tracking) return undefined;
      return tracking.tracker.store.get(eventId);
    },
    async flush() {
      await tracking?.tracker.flush();
    },
    async learn(learnOptions) {
      ensureOpen();
      if (!tracking) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "Tracking is off for this router, so there are no outcomes to learn from; enable tracking or pass a store.");
      return learnFromOutcomes({ layers: gen.built.layers, tracker: tracking.tracker, dataDir: gen.built.dataDir, storeSpec: trackingSpec ?? "" }, learnOptions);
    },
    thresholds() {
      return report(gen);
    },
    reloadThresholds,
    async reload() {
      ensureOpen();
      let next: Generation;
      try {
        const { loaded, base } = await loadBase();
        const nextSource = thresholdsSource(base);
        let file: ThresholdsFile | undefined;
        try {
          file = (await readThresholdsSafely(nextSource, logger)).file;
          next = await build(loaded, base, file);
        } catch (error) {
          if (nextSource !== source) await closeSource(nextSource);
          throw error;
        }
        if (nextSource !== source) {
          const previous = source;
          source = nextSource;
          sourceSpec = options.thresholdsSource ? undefined : thresholdsStoreSpec(base, cwd);
          await closeSource(previous);
        }
      } catch (error) {
        reloadsFailed++;
        throw error;
      }
      const notes: string[] = [];
      const spec = storeSpec(next.config, options.store);
      if (tracking && spec !== trackingSpec) notes.push(`tracking.store changed to ${spec}; the router keeps writing to ${trackingSpec} until it is restarted.`);
      const old = gen;
      gen = next;
      retire(old);
      reloadsApplied++;
      const r = refreshSources();
      announce(r);
      return { config: next.loaded.source, layers: next.cascade.layerNames, thresholds: r, notes };
    },
    watchThresholds(watchOptions) {
      ensureOpen();
      const intervalMs = watchOptions?.intervalMs ?? 1000;
      let running = false;
      let again = false;
      const onChange = () => {
        if (closed) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        void (async () => {
          do {
            again = false;
            try {
              await reloadThresholds();
            } catch (error) {
              logger.warn(`error [${(error as MoeRouterError).code ?? ErrorCode.STORE_FAILED}]: reloading thresholds: ${(error as Error).message}`);
            }
          } while (again && !closed);
          running = false;
        })();
      };
      const watched = source;
      const stop = watched.watch ? watched.watch(onChange, { intervalMs }) : () => {};
      const entry = () => {
        stop();
        stopWatchers.delete(entry);
      };
      stopWatchers.add(entry);
      return entry;
    },
    async ready(readyOptions) {
      const reasons: string[] = [];
      if (closed) reasons.push("the router is closed");
      if (gen.built.layers.length === 0 && gen.built.entries.length > 0) reasons.push("no layer is loaded");
      if (trackingWanted && !tracking) reasons.push(`the event store ${trackingSpec ?? ""} could not be opened`);
      if (tracking && !closed) {
        try {
          await withTimeout(tracking.tracker.store.recentEvents(1), readyOptions?.timeoutMs ?? 2000, `the event store ${tracking.spec} did not answer within ${readyOptions?.timeoutMs ?? 2000} ms`);
        } catch (error) {
          reasons.push(`the event store ${tracking.spec} is not reachable: ${(error as Error).message}`);
        }
      }
      return { ok: reasons.length === 0, reasons };
    },
    stats() {
      const total = emptyStats();
      addStats(total, retiredStats);
      addStats(total, gen.cascade.stats());
      return {
        cascade: total,
        ...(tracking ? { tracker: tracking.tracker.stats() } : {}),
        reloads: { applied: reloadsApplied, failed: reloadsFailed },
        thresholdUpdates,
      };
    },
    async close() {
      if (closing) return closing;
      closed = true;
      closing = (async () => {
        for (const stop of [...stopWatchers]) stop();
        try {
          await gen.built.close();
        } finally {
          await closeSource(source).catch(() => undefined);
          await tracking?.close();
        }
      })();
      return closing;
    },
  };

  if (options.watchThresholds) router.watchThresholds(typeof options.watchThresholds === "object" ? options.watchThresholds : {});
  return router;
}
