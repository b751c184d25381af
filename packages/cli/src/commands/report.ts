import { resolve } from "node:path";
import { ErrorCode, MoeRouterError, writeFileAtomic } from "@moe-router/core";
import { renderHtmlReport } from "@moe-router/tracker";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";
import { analyzeSource, byOption, seriesSource, windowOption } from "./analyze.js";
import { printText } from "../output.js";

const usage = "moe-router report --html FILE [-w HOURS] [-l LAYER] [--by minute|hour|day|auto] [--title TEXT] [--no-cache] [--include-synthetic] [--store SPEC] [--config FILE]";

/**
 * `moe-router report --html FILE`: one self-contained static HTML page with inline SVG charts
 * (no script, no network), to open in a browser or attach to a ticket.
 */
const report: Command = {
  summary: "Write a self-contained HTML report with charts (trends over time, per-layer accuracy, calibration, latency, experts, corrections, A/B).",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        html: { type: "string" },
        window: { type: "string", short: "w" },
        layer: { type: "string", short: "l" },
        by: { type: "string" },
        title: { type: "string" },
        "no-cache": { type: "boolean" },
        "include-synthetic": { type: "boolean" },
        store: { type: "string" },
        config: { type: "string", short: "c" },
      },
      usage,
      false,
    );
    if (!values.html) throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `Name the output file with --html, e.g. moe-router report --html routing-report.html.\nUsage: ${usage}`);
    const windowHours = windowOption(values.window);
    const by = byOption(values.by) ?? "auto";
    const source = { windowHours, layer: values.layer, store: values.store, config: values.config, noCache: values["no-cache"] === true, includeSynthetic: values["include-synthetic"] === true };
    const { report: analysis, spec } = await analyzeSource(source, io);
    const series = await seriesSource(source, by, io);
    const file = resolve(io.cwd, values.html);
    const html = renderHtmlReport(analysis, { series, ...(values.title ? { title: values.title } : {}) });
    try {
      // Atomic: a failed write (full disk, no permission) leaves the previous report or nothing, never a torn page.
      await writeFileAtomic(file, html);
    } catch (error) {
      throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the --html path and its directory's permissions.`, { cause: error });
    }
    printText(io, `Wrote ${file} (${analysis.overall.decisions} decisions from ${spec}).\n`);
    return 0;
  },
};

export default report;
