/**
 * Worker-thread entry of the parallel JSONL reader: runs the part jobs the main thread sends
 * and posts the plain-data results back.
 */
import { parentPort } from "node:worker_threads";
import { findOrphanDecisions, readPart } from "./part-reader.js";
import type { WorkerJob, WorkerReply } from "./worker-pool.js";

parentPort?.on("message", async (job: WorkerJob) => {
  let reply: WorkerReply;
  try {
    reply = job.kind === "read" ? { ok: true, result: await readPart(job.part, job.settings, job.chunkBytes) } : { ok: true, result: await findOrphanDecisions(job.part, job.wanted, job.chunkBytes) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    reply = { ok: false, message: (error as Error)?.message ?? String(error), ...(typeof code === "string" ? { code } : {}) };
  }
  parentPort!.postMessage(reply);
});
