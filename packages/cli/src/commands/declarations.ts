/**
 * Every command of `moe-router`, declared once: name, summary, arguments, options (type, short
 * flag, value, meaning, default, choices, range) and examples. Parsing (parseDeclared), `--help`,
 * `moe-router --help` and `moe-router completion` all come from here. This module imports no
 * command, so help and completion load nothing else.
 */
import type { CommandDeclaration, OptionDeclaration } from "../declare.js";
import { RANGES } from "../ranges.js";

const config = { type: "string", short: "c", value: "FILE", file: true, description: "Router config (JSON or YAML).", default: "the embedded default cascade" } as const satisfies OptionDeclaration;
const store = {
  type: "string",
  value: "SPEC",
  description: 'Event store: "jsonl:<path>[?rotate=monthly]", a path ending in .jsonl, or "postgres://...".',
  default: "the config's tracking.store, else .moe-router/events.jsonl",
} as const satisfies OptionDeclaration;
const json = { type: "boolean", description: "Print JSON instead of text." } as const satisfies OptionDeclaration;
const verbose = { type: "boolean", short: "v", description: "Say which modules loaded and which thresholds the tuned file overrides (stderr)." } as const satisfies OptionDeclaration;
const pretty = { type: "boolean", description: "Indent the JSON output." } as const satisfies OptionDeclaration;
const window = { type: "string", short: "w", value: "HOURS", description: "Only the last HOURS of events.", default: "all events", range: RANGES.windowHours } as const satisfies OptionDeclaration;
const layer = { type: "string", short: "l", value: "LAYER", description: "Only the decisions this layer made." } as const satisfies OptionDeclaration;
const noCache = { type: "boolean", description: "Parse the whole JSONL log, skipping its columnar analysis cache." } as const satisfies OptionDeclaration;
const by = { type: "string", value: "UNIT", description: "Show trends in buckets of this size.", choices: ["minute", "hour", "day", "auto"] } as const satisfies OptionDeclaration;
const includeSynthetic = { type: "boolean", description: "Count generated sample decisions (synthetic: true) too; left out by default." } as const satisfies OptionDeclaration;
const seed = { type: "string", value: "N", description: "Seed of the random generator (repeatable runs).", range: RANGES.seed } as const satisfies OptionDeclaration;
const objective = {
  type: "string",
  value: "OBJ",
  description: "What to optimise: precision[:P|auto], coverage:C (precision at that coverage) or oos-recall:R (out-of-scope recall).",
} as const satisfies OptionDeclaration;
const constraint = {
  type: "string",
  value: "KIND",
  description: "Keep the precision of all routed decisions (cascade) or of each layer (layer) at the target.",
  choices: ["cascade", "layer"],
  default: "cascade",
} as const satisfies OptionDeclaration;

const route = {
  name: "route",
  summary: "Route one task; prints { master, layer, confidence, event_id, ... } as JSON.",
  positionals: [{ name: "task", description: "The task description (several words are joined).", required: true }],
  options: {
    priority: { type: "string", short: "p", value: "P", description: "The task's priority, passed to the layers as metadata.", default: "medium" },
    "task-id": { type: "string", value: "ID", description: "The task's id (A/B assignment and shadow sampling hash it)." },
    config,
    store,
    "no-track": { type: "boolean", description: "Do not record the decision, even when the config tracks." },
    verbose,
    pretty,
  },
  examples: ['moe-router route "Fix the login bug"', 'moe-router route --no-track --config router.json "Deploy the API to production"'],
} as const satisfies CommandDeclaration;

const demo = {
  name: "demo",
  summary: "Route sample tasks, record outcomes, learn from corrections and show the analysis.",
  options: {
    config,
    log: { type: "string", value: "FILE", file: true, description: "Where the demo's events go.", default: ".moe-router/demo-events.jsonl" },
    keep: { type: "boolean", description: "Keep the demo's log and data afterwards." },
    verbose,
  },
  examples: ["moe-router demo"],
} as const satisfies CommandDeclaration;

const outcome = {
  name: "outcome",
  summary: "Record what happened to a routed task (completed or failed, right or corrected expert).",
  positionals: [{ name: "event-id", description: "The event_id that route printed.", required: true }],
  options: {
    completed: { type: "boolean", description: "The task was completed." },
    failed: { type: "boolean", description: "The task failed." },
    correct: { type: "boolean", description: "The routed expert was the right one." },
    "corrected-to": { type: "string", value: "EXPERT", description: "The expert the task should have gone to." },
    minutes: { type: "string", value: "N", description: "How long the task took, in minutes." },
    quality: { type: "string", value: "Q", description: "A quality score from 0 to 1." },
    config,
    store,
    pretty,
  },
  examples: ["moe-router outcome 5f0c... --completed --correct", "moe-router outcome 5f0c... --failed --corrected-to security-master"],
} as const satisfies CommandDeclaration;

const analyze = {
  name: "analyze",
  summary: "Per-layer acceptance, accuracy, calibration and latency from the event log.",
  options: {
    window,
    layer,
    by,
    json,
    workers: { type: "string", value: "N", description: "Threads parsing a large JSONL log.", default: "one per CPU, at most 4, for logs over 16 MiB", range: RANGES.workers },
    "no-cache": noCache,
    "include-synthetic": includeSynthetic,
    store,
    config,
  },
  examples: ["moe-router analyze -w 24", "moe-router analyze --by hour --json"],
} as const satisfies CommandDeclaration;

const dashboard = {
  name: "dashboard",
  summary: "The analysis as a terminal dashboard; --live refreshes it in place.",
  options: {
    window,
    live: { type: "boolean", description: "Redraw every --interval seconds until interrupted." },
    interval: { type: "string", value: "S", description: "Seconds between redraws with --live.", default: "2" },
    layer,
    "no-cache": noCache,
    "include-synthetic": includeSynthetic,
    store,
    config,
  },
  examples: ["moe-router dashboard -w 24", "moe-router dashboard --live --interval 5"],
} as const satisfies CommandDeclaration;

const report = {
  name: "report",
  summary: "Write the analysis as a self-contained HTML report.",
  options: {
    html: { type: "string", value: "FILE", file: true, description: "The report file to write (required)." },
    window,
    layer,
    by,
    title: { type: "string", value: "TEXT", description: "The report's title." },
    "no-cache": noCache,
    "include-synthetic": includeSynthetic,
    store,
    config,
  },
  examples: ["moe-router report --html report.html -w 168"],
} as const satisfies CommandDeclaration;

const alerts = {
  name: "alerts",
  summary: "Evaluate the config's alert rules once; exit 1 when one fires.",
  options: {
    config,
    store,
    at: { type: "string", value: "ISO-TIME", description: "Evaluate as of this time.", default: "now" },
    "include-synthetic": includeSynthetic,
    json,
  },
  examples: ["moe-router alerts --config router.json", "moe-router alerts --at 2026-11-20T12:00:00Z --json"],
} as const satisfies CommandDeclaration;

const generate = {
  name: "generate",
  summary: "Write seeded sample decisions and outcomes to the event store.",
  options: {
    count: { type: "string", short: "n", value: "N", description: "How many decisions to write (required)." },
    seed: { ...seed, default: "1" },
    days: { type: "string", value: "D", description: "Spread the decisions over the last D days.", default: "30" },
    end: { type: "string", value: "ISO-DATE", description: "The time of the newest decision.", default: "now" },
    "outcome-share": { type: "string", value: "X", description: "Share of decisions that get an outcome.", range: RANGES.share },
    drift: { type: "string", value: "X", description: "How much the expert mix drifts over the period, from 0 to 1." },
    degrade: { type: "string", multiple: true, value: "LAYER:ACC@-24h", description: "From a time on, the layer's accuracy drops to ACC (for alert tests)." },
    store,
    config,
  },
  examples: ["moe-router generate -n 1000", "moe-router generate -n 5000 --degrade semantic:0.5@-24h"],
} as const satisfies CommandDeclaration;

const evaluate = {
  name: "eval",
  summary: "Evaluate the cascade offline on a labelled dataset: fit, tune on validation, report on test.",
  options: {
    data: { type: "string", value: "FILE", file: true, description: "The labelled JSONL dataset (required)." },
    "label-field": { type: "string", value: "NAME", description: "The rows' label field.", default: "label" },
    "text-field": { type: "string", value: "NAME", description: "The rows' text field.", default: "text" },
    "split-field": { type: "string", value: "NAME", description: "The rows' split field.", default: "split" },
    "train-split": { type: "string", value: "NAME", description: "The split the layers are fitted on.", default: "train" },
    "val-split": { type: "string", value: "NAME", description: "The split thresholds are tuned on.", default: "val" },
    "test-split": { type: "string", value: "NAME", description: "The split that is reported.", default: "test" },
    "oos-label": { type: "string", value: "LABEL", description: "The label of out-of-scope rows.", default: "oos with --hold-out-intents" },
    "hold-out-intents": { type: "string", value: "N", description: "Hold N intents out of training as out of scope." },
    "oos-class": { type: "boolean", description: "Train out of scope as a class of its own." },
    objective,
    fusion: { type: "string", value: "MODE", description: "Add a fusion layer last, or route by fusion alone.", choices: ["off", "last", "alone"], default: "off" },
    "fusion-threshold": { type: "string", value: "T", description: "The fusion layer's threshold.", default: "0.6" },
    config,
    "target-precision": { type: "string", value: "P", description: 'The precision to tune for, or "auto".', default: "auto" },
    constraint,
    "val-share": { type: "string", value: "X", description: "Share of training rows held out for tuning when there is no validation split." },
    seed,
    "no-tune": { type: "boolean", description: "Keep the config's thresholds." },
    json,
    verbose,
  },
  examples: ["moe-router eval --data fixtures/datasets/hwu64-mini.jsonl", "moe-router eval --data d.jsonl --objective coverage:0.8 --json"],
} as const satisfies CommandDeclaration;

const tune = {
  name: "tune",
  summary: "Propose or apply layer thresholds from recorded outcomes (or start an A/B experiment).",
  options: {
    "dry-run": { type: "boolean", short: "d", description: "Print the proposal; write nothing." },
    aggressive: { type: "boolean", short: "a", description: "Move thresholds all the way, not by at most --max-step." },
    "min-samples": { type: "string", short: "m", value: "N", description: "Judged samples a layer needs before its threshold moves." },
    window: { ...window, default: "168 (a week)" },
    "target-precision": { type: "string", value: "P", description: "The precision to keep.", range: RANGES.openShare },
    objective,
    constraint,
    confidence: { type: "string", value: "C", description: "Confidence level of the precision bound.", range: RANGES.openShare },
    bound: { type: "string", value: "METHOD", description: "The precision bound.", choices: ["clopper-pearson", "wilson"] },
    "max-step": { type: "string", value: "S", description: "The most a threshold moves in one run, in threshold points." },
    experiment: { type: "string", value: "NAME", description: "Start an A/B experiment with the proposal instead of applying it." },
    share: { type: "string", value: "S", description: "Share of tasks in the experiment's candidate arm.", range: RANGES.openShare },
    rollback: { type: "boolean", description: "--rollback [N]: restore thresholds history entry N (see --history; 0 = the config's thresholds); without N, undo the latest change." },
    history: { type: "boolean", description: "List the thresholds history (what each tune, rollback, promote or stop wrote)." },
    "include-synthetic": includeSynthetic,
    store,
    config,
    verbose,
    json,
  },
  examples: ["moe-router tune --dry-run", "moe-router tune --experiment lower --share 0.1", "moe-router tune --rollback", "moe-router tune --history"],
} as const satisfies CommandDeclaration;

const index = {
  name: "index",
  summary: "Index a directory of documents for the RAG layer, with their owners.",
  positionals: [{ name: "dir", description: "The directory to index.", required: true }],
  options: {
    owners: { type: "string", short: "o", value: "FILE", file: true, description: "Which expert owns which paths (required)." },
    config,
    store: { ...store, description: 'The RAG vector store: "embedded" (under the data directory), "memory", "embedded:<file>" or "postgres://...".', default: "the config's RAG store, else embedded" },
    "chunk-lines": { type: "string", value: "N", description: "Lines per indexed chunk." },
    include: { type: "string", multiple: true, value: "GLOB", description: "Index only files matching GLOB." },
    exclude: { type: "string", multiple: true, value: "GLOB", description: "Skip files matching GLOB." },
    json,
  },
  examples: ["moe-router index docs/ --owners owners.json"],
} as const satisfies CommandDeclaration;

const train = {
  name: "train",
  summary: "Fit the learnable layers (and the neural head) on a dataset and/or corrected outcomes.",
  options: {
    data: { type: "string", value: "FILE", file: true, description: "A labelled JSONL dataset." },
    "from-log": { type: "boolean", description: "Also learn from the event log's outcomes (corrections and right routes)." },
    "include-synthetic": includeSynthetic,
    store,
    "text-field": { type: "string", value: "NAME", description: "The dataset's text field.", default: "text" },
    "label-field": { type: "string", value: "NAME", description: "The dataset's label field.", default: "label" },
    kind: { type: "string", value: "KIND", description: "The neural head.", choices: ["softmax", "mlp"], default: "softmax" },
    epochs: { type: "string", value: "N", description: "Training epochs of the neural head.", default: "30" },
    "class-weights": { type: "string", value: "MODE", description: "Weigh classes by their frequency.", choices: ["balanced", "none"], default: "none" },
    seed,
    out: { type: "string", short: "o", value: "FILE", file: true, description: "Where the neural head is written.", default: "the config's modelPath" },
    config,
    layer: { type: "string", short: "l", value: "NAME[,NAME]", description: "Train only these layers." },
    json,
  },
  examples: ["moe-router train --data train.jsonl", "moe-router train --from-log --layer semantic"],
} as const satisfies CommandDeclaration;

const learn = {
  name: "learn",
  summary: "Feed corrected outcomes not learned yet to the learnable layers.",
  options: { config, store, since: { type: "string", value: "DATE", description: "Only outcomes recorded since this time." }, json, verbose },
  examples: ["moe-router learn", "moe-router learn --since 2026-11-01"],
} as const satisfies CommandDeclaration;

const thresholds = {
  name: "thresholds",
  summary: "Show each layer's threshold in force and where it comes from.",
  options: { config, json, verbose },
  examples: ["moe-router thresholds --json"],
} as const satisfies CommandDeclaration;

const experiment = {
  name: "experiment",
  summary: "The A/B experiment tune --experiment started: status, promote (apply the candidate) or stop.",
  positionals: [{ name: "action", description: "status, stop or promote.", required: true }],
  options: {
    config,
    store,
    "include-synthetic": includeSynthetic,
    reason: { type: "string", value: "TEXT", description: "Why (recorded in the thresholds history with promote or stop)." },
    json,
  },
  examples: ["moe-router experiment status", 'moe-router experiment promote --reason "candidate wins"'],
} as const satisfies CommandDeclaration;

const serve = {
  name: "serve",
  summary: "Run the router as an HTTP service (route, outcome, metrics, dashboard).",
  options: {
    host: { type: "string", value: "HOST", description: "The address to listen on (other than loopback needs a token).", default: "127.0.0.1" },
    port: { type: "string", short: "p", value: "PORT", description: "The port to listen on (0: any free port).", default: "8700" },
    config,
    "token-file": { type: "string", value: "FILE", file: true, description: "File with the bearer token.", default: "$MOE_ROUTER_TOKEN" },
    store,
    "log-level": { type: "string", value: "LEVEL", description: "The service log level.", choices: ["fatal", "error", "warn", "info", "debug", "trace", "silent"], default: "info" },
    "log-requests": { type: "boolean", description: "Log every request." },
    "body-limit": { type: "string", value: "BYTES", description: "The largest request body accepted." },
    "thresholds-interval": { type: "string", value: "MS", description: "How often the thresholds file or table is polled." },
  },
  examples: ["moe-router serve --port 8700", "MOE_ROUTER_TOKEN=... moe-router serve --host 0.0.0.0"],
} as const satisfies CommandDeclaration;

/** The commands, in the order `moe-router --help` lists them. */
export const DECLARATIONS = { route, demo, outcome, analyze, dashboard, report, alerts, generate, eval: evaluate, tune, experiment, index, train, learn, thresholds, serve } as const;

/** A command's name. */
export type CommandName = keyof typeof DECLARATIONS;
