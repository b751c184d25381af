import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { CLEAR_SCREEN, renderDashboard } from "@moe-router/tracker";
import { numberOption, parseCommandArgs } from "../args.js";
import type { CliIO, Command } from "../io.js";
import { analyzeSource, seriesSource, useColor, windowOption, type AnalysisSource } from "./analyze.js";

const usage = "moe-router dashboard [-w HOURS] [--live] [--interval S] [-l LAYER] [--no-cache] [--include-synthetic] [--store SPEC] [--config FILE]";

const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";

/** Options of {@link runDashboard}. */
export interface DashboardOptions extends AnalysisSource {
  /** Redraw in place until `signal` aborts. */
  readonly live: boolean;
  /** Seconds between redraws. */
  readonly intervalSeconds: number;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Draws the dashboard once, or (live) redraws it in place every `intervalSeconds` until
 * `signal` aborts; each frame re-reads the store, so new decisions and late outcomes show up.
 * Returns the number of frames drawn.
 */
export async function runDashboard(options: DashboardOptions, io: CliIO, signal: AbortSignal): Promise<number> {
  const color = useColor(io);
  // Trends over the same window: the sparkline section (buckets chosen from the window).
  const frame = async () => {
    const { report, spec } = await analyzeSource(options, io);
    return { report, spec, series: await seriesSource(options, "auto", io) };
  };
  if (!options.live) {
    const { report, spec, series } = await frame();
    io.stdout(renderDashboard(report, { color, status: `store ${spec}`, series }));
    return 1;
  }
  let frames = 0;
  if (io.isTTY) io.stdout(HIDE_CURSOR);
  try {
    while (!signal.aborted) {
      const { report, spec, series } = await frame();
      if (signal.aborted) break;
      const status = `store ${spec} · every ${options.intervalSeconds} s · Ctrl-C to quit`;
      // Home + clear-below redraws without scrolling; off a terminal frames are simply appended.
      io.stdout(`${io.isTTY ? CLEAR_SCREEN : ""}${renderDashboard(report, { color, status, series })}`);
      frames++;
      await pause(options.intervalSeconds * 1000, signal);
    }
  } finally {
    if (io.isTTY) io.stdout(SHOW_CURSOR);
  }
  return frames;
}

/** `moe-router dashboard`: a terminal dashboard, one snapshot or live (`--live`). */
const dashboard: Command = {
  summary: "Terminal dashboard of routing performance; --live redraws it in place every few seconds (Ctrl-C quits).",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        window: { type: "string", short: "w" },
        live: { type: "boolean" },
        interval: { type: "string" },
        layer: { type: "string", short: "l" },
        "no-cache": { type: "boolean" },
        "include-synthetic": { type: "boolean" },
        store: { type: "string" },
        config: { type: "string", short: "c" },
      },
      usage,
      false,
    );
    const intervalSeconds = numberOption(values.interval, "--interval", { min: 0.1, max: 3600, unit: "seconds", example: "--interval 5" }) ?? 2;
    if (values.interval !== undefined && !values.live) {
      throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, "--interval only applies with --live (e.g. moe-router dashboard --live --interval 5).");
    }
    // A dashboard watches the recent past: the last 24 hours unless -w says otherwise.
    const windowHours = windowOption(values.window) ?? 24;
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      await runDashboard({ windowHours, layer: values.layer, store: values.store, config: values.config, noCache: values["no-cache"] === true, includeSynthetic: values["include-synthetic"] === true, live: values.live === true, intervalSeconds }, io, controller.signal);
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
    return 0;
  },
};

export default dashboard;
