import type { QueryablePool } from "../../types.js";

interface PoolClient {
  query(config: string | { text: string; values?: unknown[]; query_timeout?: number }, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  release(destroy?: boolean): void;
}

/**
 * Runs one long read-only aggregate (the analysis) in a transaction of its own, with its own
 * statement timeout, more work_mem and JIT off: the planner's row estimates for jsonb_array_elements (100 per
 * call) make it think the statement is huge, and compiling it took longer than running it.
 * A pool without `connect()` (a minimal stand-in) just gets the statement.
 */
export async function longQuery(pool: QueryablePool, text: string, values: unknown[], timeoutMs: number): Promise<{ rows: Record<string, unknown>[] }> {
  const connect = (pool as { connect?: () => Promise<PoolClient> }).connect;
  if (typeof connect !== "function") return pool.query(text, values);
  const client = await connect.call(pool);
  let broken = false;
  try {
    await client.query("BEGIN READ ONLY");
    // Memoize caches nothing here (every decision's attempts differ); more work_mem keeps the
    // outcome sort and the aggregate in memory.
    await client.query(`SET LOCAL jit = off; SET LOCAL enable_memoize = off; SET LOCAL work_mem = '256MB'; SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    const result = await client.query({ text, values, query_timeout: timeoutMs + 5_000 });
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => (broken = true));
    throw error;
  } finally {
    client.release(broken);
  }
}
