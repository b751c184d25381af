/**
 * The endpoints of the service in one table: method, path, request schemas and responses.
 * server.ts registers each with fastify (validating with these schemas) and openapi.ts
 * turns the same table into the OpenAPI document.
 */
import * as schemas from "./schemas.js";

/** An endpoint as the table describes it. */
export interface Endpoint {
  readonly operationId: string;
  readonly method: "GET" | "POST";
  /** fastify-style path (`:param`). */
  readonly path: string;
  readonly summary: string;
  /** False for the probes, which answer without a token. */
  readonly auth: boolean;
  readonly body?: object;
  readonly params?: object;
  /** Body limit of this endpoint (default: the server's). */
  readonly bodyLimit?: "batch";
  /** Status -> description and JSON schema of the body (undefined: not JSON). */
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: object; readonly contentType?: string }>>;
}

const error = (description: string) => ({ description, schema: schemas.errorSchema });
const badRequest = error("Bad input: not JSON, a missing or wrongly typed field, an unknown field, an empty or too long description (MOE_INVALID_REQUEST, MOE_INVALID_TASK, MOE_TASK_TOO_LONG).");
const unauthorized = error("No or wrong bearer token (MOE_UNAUTHORIZED).");
const tooLarge = error("Body over the limit (MOE_PAYLOAD_TOO_LARGE).");
const unavailable = error("Not durable or not ready: the store failed, or the service is stopping (MOE_STORE_FAILED, MOE_NOT_READY).");

/** Every endpoint the service has (plugins may add more). */
export const ENDPOINTS: readonly Endpoint[] = [
  {
    operationId: "route",
    method: "POST",
    path: "/v1/route",
    summary: "Route one task. 200 means the decision is durable in the store.",
    auth: true,
    body: schemas.taskSchema,
    responses: { 200: { description: "The decision, as `moe-router route` prints it.", schema: schemas.decisionSchema }, 400: badRequest, 401: unauthorized, 413: tooLarge, 503: unavailable },
  },
  {
    operationId: "routeBatch",
    method: "POST",
    path: "/v1/route/batch",
    summary: `Route up to ${schemas.MAX_BATCH_TASKS} tasks; decisions in request order, all durable on 200.`,
    auth: true,
    body: schemas.batchSchema,
    bodyLimit: "batch",
    responses: { 200: { description: "One decision per task.", schema: schemas.batchResultSchema }, 400: badRequest, 401: unauthorized, 413: tooLarge, 503: unavailable },
  },
  {
    operationId: "recordOutcome",
    method: "POST",
    path: "/v1/outcomes",
    summary: "Record what happened to a routed task. 200 means the outcome is durable; a correction is passed to the learnable layers.",
    auth: true,
    body: schemas.outcomeSchema,
    responses: {
      200: { description: "The outcome as stored, with the decision it joins.", schema: schemas.outcomeResultSchema },
      400: badRequest,
      401: unauthorized,
      404: error("No decision with this event_id in the store (MOE_NOT_FOUND)."),
      413: tooLarge,
      503: unavailable,
    },
  },
  {
    operationId: "getEvent",
    method: "GET",
    path: "/v1/events/:event_id",
    summary: "One decision record with its outcome merged.",
    auth: true,
    params: schemas.eventParamsSchema,
    responses: { 200: { description: "The event (log fields, snake_case).", schema: schemas.eventSchema }, 401: unauthorized, 404: error("Unknown event_id (MOE_NOT_FOUND)."), 503: unavailable },
  },
  {
    operationId: "getConfig",
    method: "GET",
    path: "/v1/config",
    summary: "Thresholds in force and where each came from.",
    auth: true,
    responses: { 200: { description: "Thresholds and their sources.", schema: schemas.configSchema }, 401: unauthorized },
  },
  {
    operationId: "getAlerts",
    method: "GET",
    path: "/v1/alerts",
    summary: "The alert rules' states (firing, since when, the latest evaluation), from the service's alert monitor.",
    auth: true,
    responses: { 200: { description: "Every rule's state; `firing` lists the names of the rules firing now.", schema: schemas.alertsSchema }, 401: unauthorized },
  },
  {
    operationId: "healthz",
    method: "GET",
    path: "/healthz",
    summary: "Liveness: the process answers. No token needed.",
    auth: false,
    responses: { 200: { description: "Alive.", schema: schemas.healthSchema } },
  },
  {
    operationId: "readyz",
    method: "GET",
    path: "/readyz",
    summary: "Readiness: layers loaded and store reachable. No token needed.",
    auth: false,
    responses: { 200: { description: "Ready.", schema: schemas.readySchema }, 503: { description: "Not ready, with the reason.", schema: schemas.readySchema } },
  },
  {
    operationId: "metrics",
    method: "GET",
    path: "/metrics",
    summary: "Prometheus metrics (text exposition format).",
    auth: true,
    responses: { 200: { description: "Metrics.", contentType: "text/plain; version=0.0.4" }, 401: unauthorized },
  },
  {
    operationId: "openapi",
    method: "GET",
    path: "/openapi.json",
    summary: "This OpenAPI 3.1 document.",
    auth: true,
    responses: { 200: { description: "The document.", schema: { type: "object" } }, 401: unauthorized },
  },
];

/** Paths that never need the token. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(ENDPOINTS.filter((e) => !e.auth).map((e) => e.path));
