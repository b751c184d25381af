import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { CoreSettings } from "./analyzer-core.js";
import { findOrphanDecisions, readPart, type OrphanMatch, type Part, type PartResult } from "./part-reader.js";

/** A job for a worker: read a part, or find the decisions of late outcomes in it. */
export type WorkerJob =
  | { readonly kind: "read"; readonly part: Part; readonly settings: CoreSettings; readonly chunkBytes: number }
  | { readonly kind: "find"; readonly part: Part; readonly wanted: readonly string[]; readonly chunkBytes: number };

/** A worker's answer. */
export type WorkerReply = { readonly ok: true; readonly result: PartResult | OrphanMatch[] } | { readonly ok: false; readonly message: string; readonly code?: string };

/** Runs part jobs, on worker threads or in this thread. */
export interface PartRunner {
  read(part: Part, settings: CoreSettings, chunkBytes: number): Promise<PartResult>;
  find(part: Part, wanted: readonly string[], chunkBytes: number): Promise<OrphanMatch[]>;
  close(): Promise<void>;
}

/** Runs every job in this thread (tests of the split-and-merge logic). */
export const inThread: PartRunner = {
  read: readPart,
  find: findOrphanDecisions,
  async close() {},
};

/**
 * Starts a worker on the script next to this module. Built code (dist) runs the .js file;
 * from TypeScript sources (tests, benchmarks) a small bootstrap registers tsx first, since
 * the parent's loader hooks do not reach worker threads.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./analyze-worker.js", import.meta.url));
  const tsxDir = dirname(createRequire(import.meta.url).resolve("tsx/package.json"));
  const tsx = pathToFileURL(join(tsxDir, "dist/esm/api/index.mjs")).href;
  const entry = new URL("./analyze-worker.ts", import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: ["--conditions=moe-router-source"] });
}

/**
 * A pool of `size` worker threads; job i goes to worker i mod size. Each worker handles one
 * job at a time, in order.
 */
export function workerPool(size: number): PartRunner {
  const workers = Array.from({ length: size }, startWorker);
  const queues = workers.map(() => Promise.resolve() as Promise<unknown>);
  let next = 0;
  const run = <T>(job: WorkerJob): Promise<T> => {
    const index = next++ % workers.length;
    const worker = workers[index]!;
    const result = queues[index]!.then(
      () =>
        new Promise<T>((resolve, reject) => {
          const settle = () => {
            worker.off("message", onMessage);
            worker.off("error", onError);
            worker.off("exit", onExit);
          };
          const onError = (error: Error) => {
            settle();
            reject(error);
          };
          // A worker killed from outside (out of memory) exits without an error event.
          const onExit = (code: number) => {
            settle();
            reject(new Error(`analysis worker stopped (exit code ${code})`));
          };
          const onMessage = (reply: WorkerReply) => {
            settle();
            if (reply.ok) resolve(reply.result as T);
            else reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
          };
          worker.on("message", onMessage);
          worker.on("error", onError);
          worker.on("exit", onExit);
          worker.postMessage(job);
        }),
    );
    queues[index] = result.catch(() => undefined);
    return result;
  };
  return {
    read: (part, settings, chunkBytes) => run<PartResult>({ kind: "read", part, settings, chunkBytes }),
    find: (part, wanted, chunkBytes) => run<OrphanMatch[]>({ kind: "find", part, wanted, chunkBytes }),
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
