/**
 * Loads the optional `pg` driver only when a postgres:// store is configured, so installing
 * this package never pulls in a database driver.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { SqlClient } from "../stores/pgvector.js";

/** The part of node-postgres the store opener uses. */
export interface PgModule {
  Pool: new (config: { connectionString: string; max?: number }) => SqlClient & { end(): Promise<void> };
}

/** Imports `pg`; a missing driver becomes MOE_NOT_FOUND saying how to install it. */
export async function loadPg(importer: () => Promise<unknown> = () => import("pg")): Promise<PgModule> {
  let module: { default?: PgModule } & Partial<PgModule>;
  try {
    module = (await importer()) as typeof module;
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, 'A postgres:// RAG store needs the "pg" package, which is not installed. Install it next to your config (npm i pg) or use the embedded store.', {
      cause: error,
    });
  }
  // pg is CommonJS: its exports arrive on `default` under ESM.
  const pg = module.default?.Pool ? module.default : module;
  if (typeof pg.Pool !== "function") throw new MoeRouterError(ErrorCode.NOT_FOUND, 'The "pg" package loaded but exports no Pool; install pg 8.11 or later.');
  return pg as PgModule;
}
