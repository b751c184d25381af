import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { QueryablePool } from "../../types.js";

/** Options of {@link createPgPool}. */
export interface PgPoolOptions {
  /** e.g. "postgres://user@127.0.0.1:5432/db" */
  readonly connectionString: string;
  /** Connections at most. Default 4. */
  readonly max?: number;
  /** Longest wait for a connection. Default 5,000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest a statement may run, on the server and on the client. Default 15,000 ms. */
  readonly statementTimeoutMs?: number;
  /** Who needs `pg`, for the message when it is missing, e.g. "@moe-router/tuner". */
  readonly neededBy?: string;
}

/**
 * A `pg` Pool set up the way every PostgreSQL store of moe-router wants it: `pg` imported on
 * first use (an optional peer dependency: NOT_FOUND with the install command when absent),
 * timeouts on both sides (a server that accepts TCP and never answers, stopped or behind a
 * black-holing firewall, must not hold routing or close() forever), keep-alive, idle clients
 * closed, and an idle client losing its connection never crashing the process.
 * @throws MoeRouterError NOT_FOUND when `pg` is not installed.
 */
export async function createPgPool(options: PgPoolOptions): Promise<QueryablePool> {
  let module: Record<string, unknown>;
  try {
    module = await import("pg");
  } catch (error) {
    const owner = options.neededBy ?? "@moe-router/tracker";
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `PostgreSQL needs the "pg" package, an optional peer dependency of ${owner}: npm install pg`, { cause: error });
  }
  const Pool = ((module.default as Record<string, unknown> | undefined)?.Pool ?? module.Pool) as new (config: object) => QueryablePool & { on(event: string, listener: (error: Error) => void): void };
  const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    query_timeout: statementTimeoutMs,
    statement_timeout: statementTimeoutMs,
    keepAlive: true,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  pool.on("error", () => undefined);
  return pool;
}
