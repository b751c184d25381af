/**
 * Fault suite, tune's trace reader (the tracker's store read, each event reduced by
 * traceFromEvent, as `moe-router tune -d` does): arbitrary JSON lines, arbitrary bytes and
 * malformed decisions never throw, and exactly the usable decisions become traces.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { jsonlStore, type RoutingEvent } from "@moe-router/tracker";
import { afterAll, describe, expect, it } from "vitest";
import { proposeThresholds } from "../src/index.js";
import { traceFromEvent } from "../src/traces.js";

const dir = mkdtempSync(join(tmpdir(), "moe-tuner-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

function decision(id: string, attempts: unknown[]): string {
  return JSON.stringify({
    schema_version: 1,
    record_type: "decision",
    event_id: id,
    timestamp: new Date().toISOString(),
    task_description: "Deploy API",
    selected_master: "cicd-master",
    routing_layer: "keyword",
    confidence: 0.9,
    layer_attempts: attempts,
  });
}

const goodAttempt = { layer_name: "keyword", selected_master: "cicd-master", confidence: 0.9, success: true, latency_ms: 1 };
const badAttempt = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.constant([]), fc.record({ layer_name: fc.oneof(fc.integer(), fc.constant(null)) }));
const oddAttempt = fc.record({
  layer_name: fc.constant("keyword"),
  selected_master: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
  confidence: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
  latency_ms: fc.oneof(fc.double(), fc.constant("1")),
  success: fc.oneof(fc.boolean(), fc.string()),
  error: fc.oneof(fc.constant(undefined), fc.string(), fc.record({ code: fc.oneof(fc.string(), fc.integer()) })),
});

type Line = { kind: "good" | "odd"; attempt: unknown } | { kind: "bad"; attempt: unknown } | { kind: "junk"; text: string };
const line: fc.Arbitrary<Line> = fc.oneof(
  fc.record({ kind: fc.constant("good" as const), attempt: fc.constant(goodAttempt) }),
  fc.record({ kind: fc.constant("odd" as const), attempt: oddAttempt }),
  fc.record({ kind: fc.constant("bad" as const), attempt: badAttempt }),
  fc.record({
    kind: fc.constant("junk" as const),
    text: fc
      .oneof(
        fc.string(),
        fc.jsonValue().map((v) => JSON.stringify(v)),
      )
      .filter((t) => !t.includes("\n") && !t.includes("event_id")),
  }),
);

describe("faults: tune's trace reader", () => {
  it("turns exactly the usable decisions into traces and never throws", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 30 }), async (lines) => {
        const path = join(dir, `events-${runs++}.jsonl`);
        let usable = 0;
        const text = lines.map((item, i) => {
          if (item.kind === "junk") return item.text;
          if (item.kind !== "bad") usable++;
          return decision(`e${i}`, [item.attempt]);
        });
        writeFileSync(path, text.map((t) => `${t}\n`).join(""));
        const store = jsonlStore({ path });
        const events: RoutingEvent[] = [];
        for await (const event of store.read({ since: new Date(Date.now() - 3_600_000) })) events.push(event);
        await store.close();
        const traces = events.map(traceFromEvent);
        expect(traces).toHaveLength(usable);
        for (const trace of traces) {
          const attempt = trace.attempts.keyword;
          expect(attempt).toBeDefined();
          if (attempt && !attempt.errored) {
            expect(typeof attempt.expert).toBe("string");
            const confidence = attempt.confidence ?? -1;
            expect(confidence >= 0 && confidence <= 1).toBe(true);
          }
        }
        expect(() => proposeThresholds(traces, { layers: ["keyword"], current: { keyword: 0.85 } })).not.toThrow();
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it("leaves out attempts that are not objects with a layer name instead of throwing", () => {
    const event = JSON.parse(decision("x", [null, 3, "keyword", goodAttempt])) as RoutingEvent;
    expect(Object.keys(traceFromEvent(event).attempts)).toEqual(["keyword"]);
  });
});
