import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { LearnReport } from "@moe-router/router";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import type { Command } from "../io.js";
import { openSession } from "../session.js";

const usage = usageOf(DECLARATIONS.learn);

function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (value.trim() === "" || Number.isNaN(date.getTime()))
    throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--since must be a date such as 2026-11-30 or 2026-11-30T12:00:00Z; got "${value}".\nUsage: ${usage}`);
  return date;
}

function summary(report: LearnReport, store: string): string {
  const lines = [
    `${report.corrections} corrected outcome(s) in ${store}${report.syntheticSkipped ? ` (${report.syntheticSkipped} of generated sample decisions left out: sample data never teaches a layer)` : ""}.`,
  ];
  if (report.layers.length === 0) lines.push("No layer in this cascade learns; corrections stay in the log (for `moe-router train --from-log`).");
  for (const layer of report.layers) {
    const state = layer.error ? `failed: [${layer.error.code}] ${layer.error.message}` : `${layer.applied} applied`;
    lines.push(`  ${layer.layer.padEnd(12)} ${state} (${layer.alreadyLearned} learned before)`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Applies every corrected outcome not yet learned to every learnable layer of the configured
 * cascade, persistently; a second run applies nothing (the watermark is in the data directory).
 */
const learn: Command = {
  summary: DECLARATIONS.learn.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.learn, argv);
    const since = parseSince(values.since);
    const session = await openSession(
      { ...(values.config ? { configFile: values.config } : {}), ...(values.store !== undefined ? { store: values.store } : {}), requireStore: true, verbose: values.verbose === true },
      io,
    );
    try {
      const report = await session.router.learn(since ? { since } : {});
      const store = session.router.storeSpec ?? "";
      io.stdout(values.json ? `${JSON.stringify({ store, ...report })}\n` : summary(report, store));
      const failed = report.layers.filter((layer) => layer.error);
      for (const layer of failed) io.stderr(`error [${layer.error!.code}]: layer "${layer.layer}" did not learn: ${layer.error!.message} Its corrections are kept for the next run.\n`);
      return failed.length > 0 ? 2 : 0;
    } finally {
      await session.close();
    }
  },
};

export default learn;
