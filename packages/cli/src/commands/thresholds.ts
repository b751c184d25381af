import type { ThresholdsReport } from "@moe-router/router";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import type { Command } from "../io.js";
import { openSession } from "../session.js";

const usage = usageOf(DECLARATIONS.thresholds);

const SOURCE_NAMES = { config: "config", "thresholds-file": "thresholds file" } as const;

function table(report: ThresholdsReport, configSource: string): string {
  const lines = [`Thresholds in force (config: ${configSource}; tuned values: ${report.source}${report.updatedAt ? `, updated ${report.updatedAt}` : ", none written yet"}):`, ""];
  lines.push(`  ${"layer".padEnd(14)} ${"threshold".padEnd(10)} ${"from".padEnd(16)} config`);
  for (const layer of report.layers) {
    lines.push(`  ${layer.layer.padEnd(14)} ${layer.threshold.toFixed(3).padEnd(10)} ${SOURCE_NAMES[layer.source].padEnd(16)} ${layer.configThreshold.toFixed(3)}`);
  }
  if (report.experiment) {
    const candidates = report.layers.filter((l) => l.experiment).map((l) => `${l.layer} ${l.experiment!.threshold.toFixed(3)}`);
    lines.push(
      "",
      `Experiment "${report.experiment.name}" (from the ${SOURCE_NAMES[report.experiment.source]}): ${(report.experiment.share * 100).toFixed(1)}% of tasks use candidate thresholds ${candidates.join(", ") || "(none of these layers)"}.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Shows the thresholds in force, layer by layer, and where each comes from (config, thresholds file, experiment). */
const thresholds: Command = {
  summary: DECLARATIONS.thresholds.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.thresholds, argv);
    const session = await openSession({ ...(values.config ? { configFile: values.config } : {}), noTrack: true, verbose: values.verbose === true }, io);
    try {
      const report = session.router.thresholds();
      io.stdout(values.json ? `${JSON.stringify({ config: session.configSource, ...report })}\n` : table(report, session.configSource));
      return 0;
    } finally {
      await session.close();
    }
  },
};

export default thresholds;
