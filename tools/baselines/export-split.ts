/**
 * Writes the exact train / validation / test rows `moe-router eval` uses for a dataset
 * (tuner's evaluationSplit: same carve, same seed) as JSONL, so a baseline outside
 * TypeScript (tfidf_lr.py) runs on the same rows.
 *
 *   pnpm exec tsx tools/baselines/export-split.ts DATASET.jsonl OUT_DIR [--val-share 0.1] [--seed 42] [--hold-out-intents N]
 *
 * With --hold-out-intents N, N whole intents (chosen by seed) are relabelled "oos" first
 * (see holdOutIntents in @moe-router/tuner), as `moe-router eval --hold-out-intents N` does.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { evaluationSplit, holdOutIntents, loadEvaluationData, type EvalRow } from "@moe-router/tuner";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { "val-share": { type: "string" }, seed: { type: "string" }, "hold-out-intents": { type: "string" } },
});
const [dataset, outDir] = positionals;
if (!dataset || !outDir) {
  console.error("usage: tsx tools/baselines/export-split.ts DATASET.jsonl OUT_DIR [--val-share 0.1] [--seed 42] [--hold-out-intents N]");
  process.exit(2);
}
const seed = values.seed ? Number(values.seed) : 42;
let data = await loadEvaluationData(dataset);
if (values["hold-out-intents"]) data = { ...data, ...holdOutIntents(data, { count: Number(values["hold-out-intents"]), seed }) };
const split = evaluationSplit(data, { ...(values["val-share"] ? { valShare: Number(values["val-share"]) } : {}), seed });
mkdirSync(outDir, { recursive: true });
const write = (name: string, rows: readonly EvalRow[]) => writeFileSync(join(outDir, `${name}.jsonl`), rows.map((r) => JSON.stringify({ text: r.text, label: r.label })).join("\n") + "\n");
write("train", split.train);
write("val", split.val);
write("test", split.test);
console.log(`${outDir}: train ${split.train.length}, val ${split.val.length} (${split.valSource}), test ${split.test.length}`);
