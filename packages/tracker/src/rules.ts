/**
 * `@moe-router/tracker/rules`: the tracker's domain rules without its stores, analysis or
 * rendering, for packages that only need to read a spec or judge an outcome (the router at
 * start-up, the tuner): what an outcome says about the right expert, the store-spec grammar,
 * and the names of a rotated JSONL log's files.
 */
export { judgeExpert, judgeOutcome, type OutcomeJudgement } from "./outcome-judgement.js";
export { EVENT_STORE_FORMS, isDatabaseSpec, parseStoreSpec, redactConnectionString, type ParseStoreSpecOptions, type StoreSpec } from "./store-spec.js";
export { listLogFiles } from "./log-names.js";
