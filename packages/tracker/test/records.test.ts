import { readFileSync } from "node:fs";
import { isMoeRouterError } from "@moe-router/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { decisionToRecord, generateSampleRecords, readRecord, SCHEMA_VERSION } from "../src/index.js";
import { normaliseRecord } from "../src/read-record.js";
import { outcomeRecord, sampleDecision } from "./support/records.js";

const schema = JSON.parse(readFileSync(new URL("../schema/routing-event.schema.json", import.meta.url), "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const validate = ajv.compile(schema);

function expectValid(record: unknown): void {
  const ok = validate(record);
  expect(ok ? [] : validate.errors).toEqual([]);
}

describe("decisionToRecord", () => {
  it("maps core's Decision to the prototype's field names", () => {
    const decision = sampleDecision();
    const record = decisionToRecord(decision);
    expect(Object.keys(record).slice(0, 4)).toEqual(["schema_version", "record_type", "event_id", "timestamp"]);
    expect(record).toMatchObject({
      schema_version: SCHEMA_VERSION,
      record_type: "decision",
      event_id: decision.eventId,
      timestamp: decision.timestamp,
      task_id: decision.task.id,
      task_description: decision.task.description,
      task_metadata: { priority: "high", source: "test" },
      selected_master: "security-master",
      routing_layer: "semantic",
      confidence: 0.82,
      all_probabilities: { "security-master": 0.82, "development-master": 0.18 },
      thresholds: { keyword: 0.85, semantic: 0.7 },
      ab_test: { experiment: "thresholds-v2", variant: "candidate" },
      total_latency_ms: 8.4,
    });
    expect(record.layer_attempts).toEqual([
      { layer_name: "keyword", success: false, threshold: 0.85, latency_ms: 0.042, error: { code: "MOE_LAYER_FAILED", message: "rules file missing" } },
      {
        layer_name: "semantic",
        selected_master: "security-master",
        confidence: 0.82,
        threshold: 0.7,
        success: true,
        latency_ms: 8.25,
        metadata: { neighbours: ["Fix login bug"], similarity: 0.81 },
        all_probabilities: { "security-master": 0.82, "development-master": 0.18 },
      },
    ]);
  });

  it("keeps clarification and shadow runs", () => {
    const record = decisionToRecord(
      sampleDecision({
        layer: "clarification",
        expert: "coordinator-master",
        confidence: 1,
        clarification: { reason: "ambiguous", candidates: ["security-master", "cicd-master"], question: "Security or CI/CD?" },
        shadow: true,
      }),
    );
    expect(record).toMatchObject({ routing_layer: "clarification", shadow: true, clarification: { reason: "ambiguous", candidates: ["security-master", "cicd-master"] } });
    expectValid(record);
  });
});

describe("schema/routing-event.schema.json", () => {
  it("is JSON Schema 2020-12 with the schema version", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    // Version 2 added `synthetic`; version 1 lines stay valid.
    expect(SCHEMA_VERSION).toBe(2);
    expect(schema.$id).toBe(`urn:moe-router:schema:routing-event:${SCHEMA_VERSION}`);
    expect(schema.$defs.decision.properties.schema_version.enum).toEqual([1, SCHEMA_VERSION]);
    expect(schema.$defs.outcome.properties.schema_version.enum).toEqual([1, SCHEMA_VERSION]);
  });

  it("keeps version 1 lines valid and readable unchanged (old logs, old writers)", () => {
    const v1 = { ...decisionToRecord(sampleDecision()), schema_version: 1 };
    expectValid(v1);
    expect(readRecord(JSON.stringify(v1))).toEqual(v1);
    const v1Outcome = { ...outcomeRecord("e1"), schema_version: 1 };
    expectValid(v1Outcome);
    expect(validate({ ...v1, schema_version: 3 })).toBe(false);
  });

  it("marks sample records synthetic, real ones not; a synthetic that is not a boolean is removed and counted", () => {
    const samples = [...generateSampleRecords({ count: 40, seed: 1, end: new Date("2026-11-20T00:00:00Z") })];
    expect(samples.length).toBeGreaterThan(40);
    expect(samples.every((record) => record.synthetic === true && record.schema_version === SCHEMA_VERSION)).toBe(true);
    expect("synthetic" in decisionToRecord(sampleDecision())).toBe(false);
    expect(validate({ ...decisionToRecord(sampleDecision()), synthetic: "yes" })).toBe(false);
    const issues = { invalidFields: 0 };
    const read = normaliseRecord({ ...decisionToRecord(sampleDecision()), synthetic: "yes" }, issues);
    expect(read && "synthetic" in read).toBe(false);
    expect(issues.invalidFields).toBe(1);
  });

  it("accepts what this package writes", () => {
    expectValid(decisionToRecord(sampleDecision()));
    expectValid(outcomeRecord("e1", new Date(), { user_corrected_to: null, quality_score: null }));
    for (const record of generateSampleRecords({ count: 300, seed: 3, end: new Date("2026-11-20T00:00:00Z") })) expectValid(record);
  });

  it("rejects records that break the format", () => {
    const record = decisionToRecord(sampleDecision());
    expect(validate({ ...record, confidence: 1.2 })).toBe(false);
    expect(validate({ ...record, selectedMaster: "x" })).toBe(false);
    expect(validate({ ...record, layer_attempts: [{ layer_name: "keyword" }] })).toBe(false);
    expect(validate({ ...outcomeRecord("e1"), outcome: { task_completed: "yes" } })).toBe(false);
  });
});

describe("readRecord", () => {
  it("reads this package's lines unchanged", () => {
    const record = decisionToRecord(sampleDecision());
    expect(readRecord(JSON.stringify(record))).toEqual(record);
    const outcome = outcomeRecord("e1");
    expect(readRecord(JSON.stringify(outcome))).toEqual(outcome);
    expect(readRecord("   ")).toBeUndefined();
  });

  it("normalises prototype lines: no record_type, routing_method, outcome inline, task_status only", () => {
    const line = JSON.stringify({
      event_id: "p1",
      timestamp: "2025-02-01T10:00:00.5",
      task_description: "Deploy API to production",
      selected_master: "cicd-master",
      routing_method: "semantic",
      confidence: 0.8,
      layer_attempts: [{ layer_name: "keyword", confidence: 0.4, selected_master: "cicd-master", success: false }, { nonsense: true }],
      outcome: { task_status: "completed", was_correct_master: true },
      custom_field: 7,
    });
    expect(readRecord(line)).toMatchObject({
      schema_version: 0,
      record_type: "decision",
      routing_layer: "semantic",
      layer_attempts: [{ layer_name: "keyword", success: false }],
      outcome: { task_completed: true, task_status: "completed" },
      custom_field: 7,
    });
  });

  it("throws CORRUPT_FILE for a torn line or a non-record", () => {
    const torn = JSON.stringify(decisionToRecord(sampleDecision())).slice(0, 60);
    expect(() => readRecord(torn)).toThrow(expect.objectContaining({ code: "MOE_CORRUPT_FILE" }));
    let error: unknown;
    try {
      readRecord('{"hello":"world"}');
    } catch (caught) {
      error = caught;
    }
    expect(isMoeRouterError(error, "MOE_CORRUPT_FILE")).toBe(true);
  });
});
