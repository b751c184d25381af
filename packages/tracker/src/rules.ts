/**
 * `@moe-router/tracker/rules`: the tracker's domain rules without its stores, analysis or
 * rendering, for packages that only need to read a spec or judge an outcome (the router at
 * start-up, the tuner): what an outcome says about the right expert, the store-spec grammar,
 * the names of a rotated JSONL log's files, and the one PostgreSQL pool set-up.
 */
export { judgeExpert, judgeOutcome, type OutcomeJudgement } from "./outcome-judgement.js";
export { EVENT_STORE_FORMS, isDatabaseSpec, parseStoreSpec, redactConnectionString, type ParseStoreSpecOptions, type StoreSpec } from "./store-spec.js";
export { listLogFiles } from "./log-names.js";
// The PostgreSQL pool set-up every moe-router store shares (imports pg only when called).
export { createPgPool, type PgPoolOptions } from "./stores/postgres/connection.js";
