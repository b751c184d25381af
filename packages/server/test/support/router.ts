/**
 * A small RouterHandle for tests of the server alone: core's cascade + the tracker on a
 * JSONL store, with a learnable lookup layer so online learning can be observed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCascade, type Decision, type Layer, type LabelledExample } from "@moe-router/core";
import { keywordLayer } from "@moe-router/layer-keyword";
import { createTracker, jsonlStore, type EventStore } from "@moe-router/tracker";
import type { RouterHandle } from "../../src/index.js";

/** A layer that answers with the expert learned for an exact text (confidence 1), else abstains low. */
export function memoryLayer(): Layer & { learned: LabelledExample[] } {
  const byText = new Map<string, string>();
  const learned: LabelledExample[] = [];
  return {
    name: "memory",
    capabilities: { learn: true, deterministic: true },
    learned,
    route(task) {
      const expert = byText.get(task.description.toLowerCase());
      return expert ? { expert, confidence: 1 } : { expert: "coordinator-master", confidence: 0 };
    },
    learn(examples) {
      for (const example of examples) {
        byText.set(example.text.toLowerCase(), example.expert);
        learned.push(example);
      }
    },
  };
}

export interface TestRouterOptions {
  readonly layers?: readonly { layer: Layer; threshold: number; timeoutMs?: number }[];
  readonly store?: EventStore;
  readonly dir?: string;
}

/** A RouterHandle over createCascade + createTracker; `path` is the JSONL log. */
export function testRouter(options: TestRouterOptions = {}): RouterHandle & { path: string; store: EventStore; closed: boolean } {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "moe-server-"));
  const path = join(dir, "events.jsonl");
  const store = options.store ?? jsonlStore({ path });
  const tracker = createTracker({ store });
  const cascade = createCascade({
    layers: options.layers
      ? [...options.layers]
      : [
          { layer: memoryLayer(), threshold: 0.9 },
          { layer: keywordLayer(), threshold: 0.85 },
        ],
    fallback: { expert: "coordinator-master" },
    observers: [tracker],
  });
  const learned = new Set<string>();
  const handle = {
    path,
    store,
    closed: false as boolean,
    route: (task) => cascade.route(task),
    output: (decision: Decision) => ({
      master: decision.expert,
      layer: decision.layer,
      confidence: decision.confidence,
      event_id: decision.eventId,
      ...(decision.task.id ? { task_id: decision.task.id } : {}),
      ...(decision.clarification ? { clarification: decision.clarification } : {}),
      attempts: decision.attempts.map((a) => ({
        layer: a.layer,
        master: a.expert,
        confidence: a.confidence,
        threshold: a.threshold,
        accepted: a.accepted,
        ...(a.details ? { details: a.details } : {}),
      })),
      latency_ms: decision.latencyMs,
    }),
    recordOutcome: (eventId, input) => tracker.recordOutcome(eventId, input),
    getEvent: (eventId) => store.get(eventId),
    flush: () => tracker.flush(),
    // As openRouter's learn(): the corrections stored since `since`, each learned once.
    async learn(learnOptions?: { since?: Date }) {
      const examples: LabelledExample[] = [];
      for await (const event of tracker.read(learnOptions?.since ? { since: learnOptions.since } : {})) {
        const to = event.outcome?.user_corrected_to;
        const key = `${event.event_id}@${event.outcome_timestamp}`;
        if (to && !learned.has(key)) {
          learned.add(key);
          examples.unshift({ text: event.task_description, expert: to, source: "outcome" });
        }
      }
      const errors = await cascade.learn(examples);
      return { layers: Object.entries(errors).map(([layer, error]) => ({ layer, error: { code: "MOE_LAYER_FAILED", message: error.message } })) };
    },
    thresholds: () => ({ thresholds: cascade.getThresholds() }),
    ready: () => ({ ok: true, reasons: [] }),
    stats: () => ({ tracker: { store: store.stats() } }),
    async close() {
      handle.closed = true;
      await cascade.close();
      await tracker.close();
    },
  } satisfies RouterHandle & { path: string; store: EventStore; closed: boolean };
  return handle;
}
