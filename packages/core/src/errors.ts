/**
 * Stable error codes. Codes are kept across majors; messages may improve.
 * A user-caused problem (bad input, bad config, unreachable store) is a {@link MoeRouterError}.
 */
export const ErrorCode = {
  /** The task is missing, not an object, or its description is empty/not a string. */
  INVALID_TASK: "MOE_INVALID_TASK",
  /** The description is longer than the cascade's `maxDescriptionLength`. */
  TASK_TOO_LONG: "MOE_TASK_TOO_LONG",
  /** A cascade or layer option is wrong. */
  INVALID_CONFIG: "MOE_INVALID_CONFIG",
  /** An option name is not known (often a typo). */
  UNKNOWN_OPTION: "MOE_UNKNOWN_OPTION",
  /** A warning: an option was given under its old name; rename it (the message says to what). */
  DEPRECATED_OPTION: "MOE_DEPRECATED_OPTION",
  /** A layer threw while routing or learning. */
  LAYER_FAILED: "MOE_LAYER_FAILED",
  /** A layer exceeded its time budget. */
  LAYER_TIMEOUT: "MOE_LAYER_TIMEOUT",
  /** A layer returned a verdict that breaks the contract. */
  MALFORMED_VERDICT: "MOE_MALFORMED_VERDICT",
  /** A layer is async but `routeSync` was called. */
  ASYNC_LAYER_IN_SYNC_ROUTE: "MOE_ASYNC_LAYER_IN_SYNC_ROUTE",
  /** A store (log file, database) could not be read or written. */
  STORE_FAILED: "MOE_STORE_FAILED",
  /** A persisted file (thresholds, weights, index) is corrupt or of another version. */
  CORRUPT_FILE: "MOE_CORRUPT_FILE",
  /** Not enough data to do what was asked (tuning, training, calibration). */
  INSUFFICIENT_DATA: "MOE_INSUFFICIENT_DATA",
  /** Something referenced (event id, package, model directory) does not exist. */
  NOT_FOUND: "MOE_NOT_FOUND",
  /** The cascade or layer was used after close(). */
  CLOSED: "MOE_CLOSED",
  /** The CLI was given a command name it does not know (often a typo). */
  UNKNOWN_COMMAND: "MOE_UNKNOWN_COMMAND",
  /** A command-line argument has a wrong value (not a number, out of range, contradicting another). */
  INVALID_ARGUMENT: "MOE_INVALID_ARGUMENT",
  /** A layer or embedder module failed to start (createLayer threw or exceeded its start-up budget). */
  LAYER_START_FAILED: "MOE_LAYER_START_FAILED",
  /** An HTTP request is malformed: body not JSON, a field of the wrong type, an unknown field. */
  INVALID_REQUEST: "MOE_INVALID_REQUEST",
  /** An HTTP request lacks the bearer token the service requires, or sends another one. */
  UNAUTHORIZED: "MOE_UNAUTHORIZED",
  /** An HTTP request body is larger than the service accepts. */
  PAYLOAD_TOO_LARGE: "MOE_PAYLOAD_TOO_LARGE",
  /** The service cannot serve now: starting, stopping, or its store is unreachable. */
  NOT_READY: "MOE_NOT_READY",
  /** The service failed in a way no input explains (a bug); its log has the details. */
  INTERNAL: "MOE_INTERNAL",
  /** A path names an existing file that is not the kind moe-router writes there; it was left untouched. */
  FOREIGN_FILE: "MOE_FOREIGN_FILE",
  /** A notification (an alert webhook) could not be delivered after its retries. */
  NOTIFY_FAILED: "MOE_NOTIFY_FAILED",
} as const;

/** One of the values of {@link ErrorCode}. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options for {@link MoeRouterError}. */
export interface MoeRouterErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** Extra machine-readable facts (field name, limits, ...). */
  data?: Record<string, unknown>;
}

/** A coded error: `code` is stable, the message says what was wrong and how to fix it. */
export class MoeRouterError extends Error {
  readonly code: ErrorCodeValue | (string & {});
  readonly data: Record<string, unknown> | undefined;

  constructor(code: ErrorCodeValue | (string & {}), message: string, options: MoeRouterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MoeRouterError";
    this.code = code;
    this.data = options.data;
  }
}

/** True when `error` is a {@link MoeRouterError}, optionally of the given code. */
export function isMoeRouterError(error: unknown, code?: string): error is MoeRouterError {
  return error instanceof MoeRouterError && (code === undefined || error.code === code);
}

/** Serialisable `{ code, message }` for any thrown value. */
export function toAttemptError(error: unknown, fallbackCode: string = ErrorCode.LAYER_FAILED): { code: string; message: string } {
  if (error instanceof MoeRouterError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: fallbackCode, message: error.message };
  return { code: fallbackCode, message: String(error) };
}
