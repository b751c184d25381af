import { ErrorCode, isMoeRouterError } from "@moe-router/core";

/** An error reply: status and the `{ error: { code, message } }` body. */
export interface ErrorReply {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  [ErrorCode.INVALID_REQUEST]: 400,
  [ErrorCode.INVALID_TASK]: 400,
  [ErrorCode.TASK_TOO_LONG]: 400,
  [ErrorCode.INVALID_CONFIG]: 400,
  [ErrorCode.UNKNOWN_OPTION]: 400,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.STORE_FAILED]: 503,
  [ErrorCode.NOT_READY]: 503,
  [ErrorCode.CLOSED]: 503,
};

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: unknown;
  validationContext?: string;
}

/** Maps anything a handler or fastify threw to a coded reply; unknown errors are 500 without internals. */
export function toErrorReply(error: unknown): ErrorReply {
  if (isMoeRouterError(error)) return { status: STATUS_BY_CODE[error.code] ?? 500, code: error.code, message: error.message };
  const e = (error ?? {}) as FastifyLikeError;
  if (e.validation) {
    return { status: 400, code: ErrorCode.INVALID_REQUEST, message: `Invalid request ${e.message ?? ""}. See GET /openapi.json for the request shapes.`.replace(/\s+\./, ".") };
  }
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE, message: "The request body is larger than this service accepts; send a shorter description, or split a batch into smaller ones." };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return { status: 415, code: ErrorCode.INVALID_REQUEST, message: "Send the body as JSON with Content-Type: application/json." };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, code: ErrorCode.INVALID_REQUEST, message: "The request body is empty; send a JSON object (see GET /openapi.json)." };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return { status: 400, code: ErrorCode.INVALID_REQUEST, message: `The request body is not valid JSON (${e.message ?? "parse error"}).` };
  }
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: ErrorCode.INVALID_REQUEST, message: e.message ?? "Bad request." };
  }
  if (e.statusCode === undefined && e instanceof SyntaxError) {
    return { status: 400, code: ErrorCode.INVALID_REQUEST, message: `The request body is not valid JSON (${e.message}).` };
  }
  return { status: 500, code: ErrorCode.INTERNAL, message: "The service failed to answer this request; its log has the details." };
}
