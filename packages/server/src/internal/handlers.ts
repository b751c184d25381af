import { ErrorCode, MoeRouterError, stringifyJsonSafe as stringifySafe, type Decision, type RoutingTask } from "@moe-router/core";
import type { OutcomeInput, RecordedOutcome } from "@moe-router/tracker";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AlertStatusSource, RouterHandle } from "../types.js";
import { ENDPOINTS } from "./api.js";
import type { GroupCommit } from "./group-commit.js";
import type { LearningQueue } from "./learning.js";
import type { ServiceMetrics } from "./metrics.js";

/** What the handlers share (built by createServer). */
export interface ServiceState {
  readonly router: RouterHandle;
  readonly metrics: ServiceMetrics;
  readonly learning: LearningQueue;
  readonly commit: GroupCommit;
  readonly openapi: Record<string, unknown>;
  readonly alerts?: AlertStatusSource;
  closing: boolean;
  emitDecision(decision: Decision): void;
  emitOutcome(outcome: RecordedOutcome): void;
}

interface TaskBody {
  description: string;
  id?: string;
  metadata?: Record<string, unknown>;
  priority?: string;
}

interface OutcomeBody {
  event_id: string;
  completed: boolean;
  correct?: boolean;
  corrected_to?: string;
  minutes?: number;
  quality?: number;
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const JSON_TYPE = "application/json; charset=utf-8";

/** The task handed to the router: priority goes into metadata, as `moe-router route --priority` does. */
function toTask(body: TaskBody): RoutingTask {
  const metadata = { ...body.metadata, priority: body.priority ?? (body.metadata?.priority as string | undefined) ?? "medium" };
  return body.id !== undefined ? { id: body.id, description: body.description, metadata } : { description: body.description, metadata };
}

function sendJson(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).type(JSON_TYPE).send(text);
}

/** Waits for the group commit (bounded by its timeout); a failure is a coded STORE_FAILED carrying `decision` for the 503 body. */
async function acknowledge(state: ServiceState, decisions: unknown): Promise<void> {
  try {
    await state.commit.commit();
  } catch (error) {
    const failure =
      error instanceof MoeRouterError && error.code === ErrorCode.STORE_FAILED
        ? error
        : new MoeRouterError(ErrorCode.STORE_FAILED, `The decision was routed but not stored: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    // The caller may still act on the decision; the 503 says it is not recorded.
    Object.assign(failure, { decision: decisions });
    throw failure;
  }
}

function handlers(state: ServiceState): Record<string, Handler> {
  const { router, metrics } = state;
  return {
    async route(request, reply) {
      const decision = await router.route(toTask(request.body as TaskBody));
      metrics.recordDecision(decision);
      state.emitDecision(decision);
      const output = router.output(decision);
      await acknowledge(state, output);
      return sendJson(reply, 200, stringifySafe(output));
    },
    async routeBatch(request, reply) {
      const tasks = (request.body as { tasks: TaskBody[] }).tasks.map(toTask);
      const decisions = router.routeBatch ? await router.routeBatch(tasks) : await Promise.all(tasks.map((task) => router.route(task)));
      for (const decision of decisions) {
        metrics.recordDecision(decision);
        state.emitDecision(decision);
      }
      const output = { decisions: decisions.map((decision) => router.output(decision)) };
      await acknowledge(state, output.decisions);
      return sendJson(reply, 200, stringifySafe(output));
    },
    async recordOutcome(request, reply) {
      const body = request.body as OutcomeBody;
      const input: OutcomeInput = {
        completed: body.completed,
        ...(body.correct !== undefined ? { correct: body.correct } : {}),
        ...(body.corrected_to !== undefined ? { correctedTo: body.corrected_to } : {}),
        ...(body.minutes !== undefined ? { minutes: body.minutes } : {}),
        ...(body.quality !== undefined ? { quality: body.quality } : {}),
      };
      const recorded = await router.recordOutcome(body.event_id, input);
      const { record, event } = recorded;
      metrics.recordOutcome(event?.routing_layer, record.outcome.was_correct_master);
      const correctedTo = record.outcome.user_corrected_to;
      if (correctedTo && event) state.learning.add({ eventId: record.event_id, routedAt: event.timestamp });
      state.emitOutcome(recorded);
      const output = {
        event_id: record.event_id,
        ...(event ? { master: event.selected_master, layer: event.routing_layer, task_description: event.task_description } : {}),
        outcome: record.outcome,
        recorded_at: record.timestamp,
      };
      return sendJson(reply, 200, stringifySafe(output));
    },
    async getEvent(request, reply) {
      const eventId = (request.params as { event_id: string }).event_id;
      const event = await router.getEvent(eventId);
      if (!event) throw new MoeRouterError(ErrorCode.NOT_FOUND, `No decision with event id "${eventId}" in the store. Use the event_id a route returned.`);
      return sendJson(reply, 200, stringifySafe(event));
    },
    async getConfig(_request, reply) {
      return sendJson(reply, 200, stringifySafe(router.thresholds?.() ?? {}));
    },
    async getAlerts(_request, reply) {
      const source = state.alerts;
      if (!source) return sendJson(reply, 200, '{"monitored":false,"alerts":[]}');
      const alerts = [...source.rules()].map(([rule, { firing, since, last }]) => ({ rule, firing, since, last }));
      return sendJson(reply, 200, stringifySafe({ monitored: true, firing: alerts.filter((a) => a.firing).map((a) => a.rule), alerts }));
    },
    async healthz(_request, reply) {
      return sendJson(reply, 200, '{"status":"ok"}');
    },
    async readyz(_request, reply) {
      if (state.closing) return sendJson(reply, 503, JSON.stringify({ status: "not_ready", reason: "the service is stopping" }));
      let readiness: { ok: boolean; reasons: readonly string[] };
      try {
        readiness = router.ready ? await router.ready() : { ok: true, reasons: [] };
      } catch (error) {
        readiness = { ok: false, reasons: [(error as Error)?.message ?? String(error)] };
      }
      return readiness.ok
        ? sendJson(reply, 200, '{"status":"ready"}')
        : sendJson(reply, 503, stringifySafe({ status: "not_ready", reason: readiness.reasons.join("; ") || "the router is not ready" }));
    },
    async metrics(_request, reply) {
      const text = await metrics.registry.metrics();
      return reply.code(200).type(metrics.registry.contentType).send(text);
    },
    async openapi(_request, reply) {
      return sendJson(reply, 200, JSON.stringify(state.openapi));
    },
  };
}

/** Registers every endpoint of the API table with its request schemas and handler. */
export function registerHandlers(app: FastifyInstance, state: ServiceState, limits: { readonly batchBodyLimit: number }): void {
  const byOperation = handlers(state);
  for (const endpoint of ENDPOINTS) {
    const handler = byOperation[endpoint.operationId];
    if (!handler) throw new Error(`No handler for ${endpoint.operationId}`);
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      ...(endpoint.bodyLimit === "batch" ? { bodyLimit: limits.batchBodyLimit } : {}),
      schema: { ...(endpoint.body ? { body: endpoint.body } : {}), ...(endpoint.params ? { params: endpoint.params } : {}) },
      handler,
    });
  }
}
