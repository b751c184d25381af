import { resolve } from "node:path";
import { ErrorCode, MoeRouterError, writeFileAtomic } from "@moe-router/core";
import { renderHtmlReport } from "@moe-router/tracker";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import type { Command } from "../io.js";
import { analyzeSource, byOption, seriesSource, windowOption } from "./analyze.js";
import { printText } from "../output.js";

const usage = usageOf(DECLARATIONS.report);

/**
 * `moe-router report --html FILE`: one self-contained static HTML page with inline SVG charts
 * (no script, no network), to open in a browser or attach to a ticket.
 */
const report: Command = {
  summary: DECLARATIONS.report.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.report, argv);
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
      throw new MoeRouterError(
        ErrorCode.INVALID_ARGUMENT,
        `Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the --html path and its directory's permissions.`,
        { cause: error },
      );
    }
    printText(io, `Wrote ${file} (${analysis.overall.decisions} decisions from ${spec}).\n`);
    return 0;
  },
};

export default report;
