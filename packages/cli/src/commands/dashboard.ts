import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { CLEAR_SCREEN, renderDashboard } from "@moe-router/tracker";
import { numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import type { CliIO, Command } from "../io.js";
import { analyzeSource, seriesSource, useColor, windowOption, type AnalysisSource } from "./analyze.js";

const usage = usageOf(DECLARATIONS.dashboard);

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
      const status = `Ctrl-C to quit · every ${options.intervalSeconds} s · store ${spec}`;
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
  summary: DECLARATIONS.dashboard.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.dashboard, argv);
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
      await runDashboard(
        {
          windowHours,
          layer: values.layer,
          store: values.store,
          config: values.config,
          noCache: values["no-cache"] === true,
          includeSynthetic: values["include-synthetic"] === true,
          live: values.live === true,
          intervalSeconds,
        },
        io,
        controller.signal,
      );
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
    return 0;
  },
};

export default dashboard;
