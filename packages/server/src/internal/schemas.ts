/**
 * JSON Schemas of the HTTP API. The same objects validate requests (fastify + ajv) and
 * make the OpenAPI document (`GET /openapi.json`), so the two cannot drift apart.
 */

/** Largest number of tasks in one `POST /v1/route/batch`. */
export const MAX_BATCH_TASKS = 1000;

export const taskSchema = {
  type: "object",
  additionalProperties: false,
  required: ["description"],
  properties: {
    description: { type: "string", minLength: 1, description: 'What needs doing, e.g. "Fix authentication bug in login system".' },
    id: { type: "string", minLength: 1, maxLength: 256, description: "Your id for the task; also the key of A/B assignment." },
    metadata: { type: "object", description: "Free-form metadata, kept in the decision record." },
    priority: { type: "string", minLength: 1, maxLength: 64, description: 'Stored as metadata.priority (default "medium", as `moe-router route`).' },
  },
} as const;

export const batchSchema = {
  type: "object",
  additionalProperties: false,
  required: ["tasks"],
  properties: {
    tasks: { type: "array", minItems: 1, maxItems: MAX_BATCH_TASKS, items: taskSchema },
  },
} as const;

export const outcomeSchema = {
  type: "object",
  additionalProperties: false,
  required: ["event_id", "completed"],
  properties: {
    event_id: { type: "string", minLength: 1, maxLength: 256, description: "The event_id a route returned." },
    completed: { type: "boolean", description: "The task was completed (true) or failed (false)." },
    correct: { type: "boolean", description: "The routed expert was the right one." },
    corrected_to: { type: "string", minLength: 1, maxLength: 256, description: "The expert the task should have gone to (implies correct: false); learnable layers learn from it." },
    minutes: { type: "number", minimum: 0 },
    quality: { type: "number", minimum: 0, maximum: 1 },
  },
} as const;

export const eventParamsSchema = {
  type: "object",
  required: ["event_id"],
  properties: { event_id: { type: "string", minLength: 1, maxLength: 256 } },
} as const;

export const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "Stable code, e.g. MOE_INVALID_REQUEST (see @moe-router/core's error table)." },
        message: { type: "string", description: "What was wrong and how to fix it." },
      },
    },
  },
} as const;

const attemptSchema = {
  type: "object",
  required: ["layer", "threshold", "accepted", "latency_ms"],
  properties: {
    layer: { type: "string" },
    master: { type: "string" },
    confidence: { type: "number" },
    threshold: { type: "number" },
    threshold_source: { type: "string", enum: ["config", "thresholds-file", "experiment"] },
    accepted: { type: "boolean" },
    latency_ms: { type: "number" },
    error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } } },
    details: { type: "object" },
    shadow: { type: "boolean" },
  },
} as const;

export const decisionSchema = {
  type: "object",
  description: "Exactly what `moe-router route` prints.",
  required: ["master", "layer", "confidence", "event_id", "attempts", "latency_ms"],
  properties: {
    master: { type: "string", description: "The expert chosen." },
    layer: { type: "string", description: 'The deciding layer, or "clarification".' },
    confidence: { type: "number" },
    event_id: { type: "string", description: "Pass it to POST /v1/outcomes." },
    task_id: { type: "string" },
    clarification: {
      type: "object",
      properties: {
        reason: { type: "string", enum: ["low_confidence_cascade", "ambiguous", "all_layers_failed", "no_layers"] },
        candidates: { type: "array", items: { type: "string" } },
        question: { type: "string" },
      },
    },
    ab_test: { type: "object", properties: { name: { type: "string" }, variant: { type: "string", enum: ["control", "candidate"] } } },
    attempts: { type: "array", items: attemptSchema },
    latency_ms: { type: "number" },
  },
} as const;

export const batchResultSchema = {
  type: "object",
  required: ["decisions"],
  properties: { decisions: { type: "array", items: decisionSchema } },
} as const;

export const outcomeResultSchema = {
  type: "object",
  required: ["event_id", "outcome", "recorded_at"],
  properties: {
    event_id: { type: "string" },
    master: { type: "string" },
    layer: { type: "string" },
    task_description: { type: "string" },
    outcome: { type: "object", description: "The stored outcome (snake_case, as in the event log)." },
    recorded_at: { type: "string", format: "date-time" },
  },
} as const;

export const eventSchema = {
  type: "object",
  description: "The decision record with its outcome merged (the event log's snake_case fields; see the tracker's routing-event.schema.json).",
  required: ["event_id", "timestamp", "selected_master", "routing_layer"],
  properties: {
    event_id: { type: "string" },
    timestamp: { type: "string" },
    task_description: { type: "string" },
    selected_master: { type: "string" },
    routing_layer: { type: "string" },
    confidence: { type: "number" },
    layer_attempts: { type: "array", items: { type: "object" } },
    outcome: { type: "object" },
    outcome_timestamp: { type: "string" },
  },
} as const;

export const healthSchema = {
  type: "object",
  required: ["status"],
  properties: { status: { type: "string", enum: ["ok"] } },
} as const;

export const readySchema = {
  type: "object",
  required: ["status"],
  properties: { status: { type: "string", enum: ["ready", "not_ready"] }, reason: { type: "string" } },
} as const;

export const configSchema = {
  type: "object",
  description: "Thresholds in force, each with where it came from (config, thresholds file, experiment).",
} as const;

export const alertsSchema = {
  type: "object",
  required: ["monitored", "alerts"],
  properties: {
    monitored: { type: "boolean", description: "False when the service runs no alert monitor (no `alerts` in the config, or tracking off)." },
    firing: { type: "array", items: { type: "string" } },
    alerts: {
      type: "array",
      items: {
        type: "object",
        required: ["rule", "firing", "since", "last"],
        properties: {
          rule: { type: "string" },
          firing: { type: "boolean" },
          since: { type: ["string", "null"], description: "ISO time the rule started firing." },
          last: { type: ["object", "null"], description: "The latest evaluation: state, value, bound, limit, direction, samples, window." },
        },
      },
    },
  },
} as const;
