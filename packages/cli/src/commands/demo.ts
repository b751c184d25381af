import { rm } from "node:fs/promises";
import type { LabelledExample } from "@moe-router/core";
import { join } from "node:path";
import { analyzeStore, createTracker, jsonlStore, renderAnalysisText, type Tracker } from "@moe-router/tracker";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { DEMO_TASKS } from "../demo-tasks.js";
import type { CliIO, Command } from "../io.js";
import { DEFAULT_DATA_DIR, type Router } from "@moe-router/router";
import { openSession } from "../session.js";

/**
 * Feeds corrected outcomes back to the learnable layers, then routes those tasks again
 * (tracked, with their outcomes) to show what learning changed.
 */
async function learnFromCorrections(router: Router, tracker: Tracker, corrections: readonly LabelledExample[], io: CliIO): Promise<void> {
  const learners = router.layers.filter((layer) => typeof layer.learn === "function").map((layer) => layer.name);
  if (corrections.length === 0) return;
  if (learners.length === 0) {
    io.stdout("no layer in this cascade learns; corrections stay in the log for `moe-router train --from-log`\n");
    return;
  }
  const failures = await router.cascade.learn(corrections);
  let fixed = 0;
  for (const [index, example] of corrections.entries()) {
    const decision = await router.cascade.route({ id: `demo-relearn-${index + 1}`, description: example.text, metadata: { source: "demo-relearn" } });
    const correct = decision.expert === example.expert;
    if (correct) fixed++;
    await tracker.recordOutcome(decision.eventId, { completed: correct, correct, ...(correct ? {} : { correctedTo: example.expert }) });
  }
  const failed = Object.keys(failures);
  io.stdout(
    `${learners.join(", ")} learned from ${corrections.length} corrected outcomes: ${fixed}/${corrections.length} of those tasks now route right${failed.length ? ` (learn failed in ${failed.join(", ")})` : ""}\n`,
  );
}

const usage = usageOf(DECLARATIONS.demo);

/**
 * The main job on the embedded default: routes sample tasks, records their outcomes
 * (corrections where the route was wrong) and prints the analysis. No server needed.
 */
const demo: Command = {
  summary: DECLARATIONS.demo.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.demo, argv);
    const logPath = join(io.cwd, values.log ?? join(DEFAULT_DATA_DIR, "demo-events.jsonl"));
    // The demo keeps what its layers learn (and its tuned thresholds) apart from real routing state.
    const demoDataDir = join(io.cwd, DEFAULT_DATA_DIR, "demo");
    if (!values.keep) {
      await rm(logPath, { force: true });
      await rm(demoDataDir, { recursive: true, force: true });
    }
    const store = jsonlStore({ path: logPath });
    const tracker = createTracker({ store });
    const session = await openSession(
      {
        ...(values.config ? { configFile: values.config } : {}),
        adjustConfig: (config) => ({ ...config, dataDir: demoDataDir, thresholdsFile: join(demoDataDir, "thresholds.json") }),
        noTrack: true,
        observers: [tracker],
        verbose: values.verbose === true,
      },
      io,
    );
    try {
      io.stdout(`moe-router demo: ${session.configSource}; layers ${session.router.cascade.layerNames.join(" -> ")} -> clarification\n\n`);
      let right = 0;
      const corrections: LabelledExample[] = [];
      for (const [index, task] of DEMO_TASKS.entries()) {
        const decision = await session.router.cascade.route({ id: `demo-${index + 1}`, description: task.description, metadata: { source: "demo" } });
        const correct = decision.expert === task.expert;
        if (correct) right++;
        else corrections.push({ text: task.description, expert: task.expert, source: "outcome" });
        await tracker.recordOutcome(decision.eventId, {
          completed: correct,
          correct,
          ...(correct ? {} : { correctedTo: task.expert }),
          minutes: 10 + ((index * 37) % 50),
          quality: correct ? 0.9 : 0.5,
        });
        const mark = correct ? "ok " : "fix";
        io.stdout(`${mark} ${decision.expert.padEnd(19)} ${decision.layer.padEnd(13)} ${decision.confidence.toFixed(2)}  ${task.description}${correct ? "" : `  (corrected to ${task.expert})`}\n`);
      }
      await tracker.flush();
      io.stdout(`\n${right}/${DEMO_TASKS.length} routed to the right expert; outcomes recorded in ${logPath}\n`);
      await learnFromCorrections(session.router, tracker, corrections, io);
      io.stdout("\n");
      io.stdout(renderAnalysisText(await analyzeStore(store), { color: false }));
      io.stdout(`\nNext: pnpm moe-router route "<task>" | analyze | dashboard | tune -d (see README)\n`);
      return 0;
    } finally {
      await session.close();
      await tracker.close();
    }
  },
};

export default demo;
