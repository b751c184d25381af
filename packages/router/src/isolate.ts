import { Worker } from "node:worker_threads";
import { ErrorCode, MoeRouterError, type LabelledExample, type Layer, type LayerCapabilities, type LayerContext, type RoutingTask, type Verdict } from "@moe-router/core";
import { silentLogger, type RouterLogger } from "./logger.js";

/** Per-route budget of an isolated layer when neither the entry nor the config sets one (core's default). */
export const DEFAULT_ISOLATED_TIMEOUT_MS = 2_000;

/** What an isolated layer needs to start its worker. */
export interface IsolatedLayerOptions {
  /** The config's package name, for messages. */
  readonly specifier: string;
  /** URL or path the worker imports (see resolveModule). */
  readonly target: string;
  readonly options: Record<string, unknown>;
  readonly dataDir: string;
  /** The config file's directory, passed to the layer's environment. */
  readonly configDir?: string;
  readonly experts?: readonly string[];
  /** The config's embedder, created again inside the worker (an embedder cannot cross threads). */
  readonly embedder?: { readonly target: string; readonly options: Record<string, unknown> };
  /** A route (or learn) that takes longer terminates the worker; the next one starts a fresh worker. */
  readonly timeoutMs: number;
  /** Budget for the worker to import the module and run createLayer. */
  readonly startupTimeoutMs: number;
  readonly logger?: RouterLogger;
}

// Runs in the worker (CommonJS, evaluated): imports the layer module, answers route/learn/close.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
let layer;
let env;
const describe = (e) => ({ code: e && typeof e.code === "string" && e.code.startsWith("MOE_") ? e.code : undefined, message: e && e.message !== undefined ? String(e.message) : String(e) });
async function init() {
  env = { dataDir: workerData.dataDir };
  if (workerData.configDir) env.configDir = workerData.configDir;
  if (workerData.experts) env.experts = workerData.experts;
  if (workerData.embedder) {
    const m = await import(workerData.embedder.target);
    env.embedder = await m.createEmbedder(workerData.embedder.options, { dataDir: workerData.dataDir });
  }
  const m = await import(workerData.target);
  if (typeof m.createLayer !== "function") throw new Error("the module does not export createLayer(options, environment)");
  layer = await m.createLayer(workerData.options, env);
  return { name: layer.name, capabilities: layer.capabilities ? JSON.parse(JSON.stringify(layer.capabilities)) : {}, learns: typeof layer.learn === "function" };
}
const ready = init();
ready.then((info) => parentPort.postMessage({ type: "ready", info }), (e) => parentPort.postMessage({ type: "init-error", error: describe(e) }));
parentPort.on("message", async (msg) => {
  try {
    await ready;
    let value;
    if (msg.type === "route") value = await layer.route(msg.task, { eventId: msg.eventId, ...(msg.experts ? { experts: msg.experts } : {}) });
    else if (msg.type === "learn") await layer.learn(msg.examples);
    else if (msg.type === "close") { if (layer.close) await layer.close(); if (env.embedder && env.embedder.close) await env.embedder.close(); }
    parentPort.postMessage({ type: "result", id: msg.id, value });
  } catch (e) {
    try { parentPort.postMessage({ type: "error", id: msg.id, error: describe(e) }); } catch {}
  }
});
`;

/**
 * The process's Node flags for the worker, minus this repository's source condition: it points
 * our packages at their TypeScript sources, which a plain worker thread cannot load.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--conditions=moe-router-source" || arg === "-C=moe-router-source") continue;
    if ((arg === "--conditions" || arg === "-C") && argv[i + 1] === "moe-router-source") {
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface WorkerInfo {
  readonly name: string;
  readonly capabilities: LayerCapabilities;
  readonly learns: boolean;
}

/** One running worker with its pending requests. */
class LayerWorker {
  readonly worker: Worker;
  readonly ready: Promise<WorkerInfo>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;

  constructor(
    private readonly options: IsolatedLayerOptions,
    private readonly onDeath: () => void = () => {},
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: workerExecArgv(),
      workerData: { target: options.target, options: options.options, dataDir: options.dataDir, configDir: options.configDir, experts: options.experts, embedder: options.embedder },
    });
    this.ready = new Promise<WorkerInfo>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new MoeRouterError(
            ErrorCode.LAYER_START_FAILED,
            `Layer "${options.specifier}" (isolate: worker) did not start within ${options.startupTimeoutMs} ms. Check the module, or raise "startupTimeoutMs" in the config.`,
            { data: { package: options.specifier } },
          ),
        );
        void this.worker.terminate();
      }, options.startupTimeoutMs);
      this.worker.on("message", (message: { type: string; id?: number; info?: WorkerInfo; value?: unknown; error?: { code?: string; message: string } }) => {
        if (message.type === "ready") {
          clearTimeout(timer);
          this.worker.unref();
          resolve(message.info!);
        } else if (message.type === "init-error") {
          clearTimeout(timer);
          reject(
            new MoeRouterError(message.error!.code ?? ErrorCode.LAYER_START_FAILED, `Layer "${options.specifier}" (isolate: worker) failed to start: ${message.error!.message}`, {
              data: { package: options.specifier },
            }),
          );
          void this.worker.terminate();
        } else {
          const request = this.pending.get(message.id!);
          if (!request) return;
          this.pending.delete(message.id!);
          if (message.type === "error") request.reject(new MoeRouterError(message.error!.code ?? ErrorCode.LAYER_FAILED, message.error!.message));
          else request.resolve(message.value);
        }
      });
      const died = (error: Error) => {
        clearTimeout(timer);
        if (this.dead === undefined) {
          this.dead = error;
          this.onDeath();
        }
        reject(error);
        for (const request of this.pending.values()) request.reject(error);
        this.pending.clear();
      };
      this.worker.on("error", (error) => died(new MoeRouterError(ErrorCode.LAYER_FAILED, `Layer "${options.specifier}" (isolate: worker) crashed: ${error.message}`, { cause: error })));
      this.worker.on("exit", (code) => died(new MoeRouterError(ErrorCode.LAYER_FAILED, `Layer "${options.specifier}" (isolate: worker) stopped (exit code ${code}).`)));
    });
    this.ready.catch(() => {});
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  /** Sends a request; rejects with MOE_LAYER_TIMEOUT (and terminates the worker) past the budget or on abort. */
  async request(message: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    await this.ready;
    if (this.dead) throw this.dead;
    // The budget ran out while a restarted worker was starting: give up on this task, keep the worker.
    if (signal?.aborted) throw new MoeRouterError(ErrorCode.LAYER_TIMEOUT, `Layer "${this.options.specifier}" (isolate: worker) was still restarting when its time budget ran out.`);
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      // eslint-disable-next-line prefer-const -- stop() reads it before the timer is set
      let timer: NodeJS.Timeout | undefined;
      const stop = (why: string) => {
        this.kill(new MoeRouterError(ErrorCode.LAYER_TIMEOUT, `Layer "${this.options.specifier}" (isolate: worker) ${why}; its worker was terminated and is restarted for the next task.`));
      };
      const onAbort = () => stop("was aborted at its time budget");
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      this.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      timer = setTimeout(() => stop(`took more than ${this.options.timeoutMs} ms`), this.options.timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Terminates the worker; pending requests reject with `error`. */
  kill(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    this.onDeath();
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
    void this.worker.terminate();
    (this.options.logger ?? silentLogger).warn(`warning [${ErrorCode.LAYER_TIMEOUT}]: ${error.message}`);
  }

  async close(): Promise<void> {
    if (this.dead) return;
    try {
      await Promise.race([this.request({ type: "close" }), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    } catch {
      // closing anyway
    }
    this.dead = new MoeRouterError(ErrorCode.CLOSED, `Layer "${this.options.specifier}" was closed.`);
    await this.worker.terminate();
  }
}

/**
 * Starts a layer module in a worker thread and returns a layer that forwards to it. A route or
 * learn call that exceeds `timeoutMs` — including a synchronous infinite loop, which no
 * in-process budget can stop — terminates the worker and fails with MOE_LAYER_TIMEOUT (the
 * cascade records it on the attempt and moves on); the next call starts a fresh worker, which
 * reloads what the layer persisted. Tasks, verdicts and examples are copied between threads
 * (structured clone), which costs tens of microseconds per route.
 */
export async function isolatedLayer(options: IsolatedLayerOptions): Promise<Layer> {
  let restarts = 0;
  let closed = false;
  let started = false;
  // A worker that dies after start-up is replaced at once, so the next task finds it ready.
  const spawn = (): LayerWorker =>
    new LayerWorker(options, () => {
      if (closed || !started) return;
      restarts++;
      current = spawn();
    });
  let current = spawn();
  const info = await current.ready;
  started = true;
  const live = (): LayerWorker => {
    if (closed) throw new MoeRouterError(ErrorCode.CLOSED, `Layer "${info.name}" was closed.`);
    return current;
  };
  const layer: Layer = {
    name: info.name,
    capabilities: Object.freeze({ ...info.capabilities, async: true }),
    async route(task: RoutingTask, context: LayerContext): Promise<Verdict> {
      const message = {
        type: "route",
        task: { ...(task.id !== undefined ? { id: task.id } : {}), description: task.description, ...(task.metadata ? { metadata: task.metadata } : {}) },
        eventId: context.eventId,
        ...(context.experts ? { experts: context.experts } : {}),
      };
      return (await live().request(message, context.signal)) as Verdict;
    },
    async close() {
      closed = true;
      await current.close();
    },
  };
  if (info.learns) {
    (layer as { learn?: Layer["learn"] }).learn = async (examples: readonly LabelledExample[]) => {
      await live().request({ type: "learn", examples: examples.map((e) => ({ ...e })) });
    };
  }
  Object.defineProperty(layer, "restarts", { get: () => restarts, enumerable: false });
  return layer;
}
