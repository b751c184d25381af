/**
 * Learning curve of a softmax head over TF-IDF features on an exported split
 * (tools/baselines/export-split.ts): per epoch, validation loss/accuracy and test accuracy
 * at 100% and 80% coverage, so the early-stopping point and the learning rate can be judged.
 *
 *   node --import tsx --conditions=moe-router-source tools/baselines/neural-curve.ts SPLIT_DIR [minDf] [learningRate] [epochs]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fitTfidf } from "@moe-router/core";
import { trainHead } from "@moe-router/layer-neural";

const [dir, minDfText, rateText, epochsText] = process.argv.slice(2);
const read = (name: string) =>
  readFileSync(join(dir!, `${name}.jsonl`), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { text: string; label: string });
const train = read("train").filter((r) => r.label !== "oos");
const val = read("val").filter((r) => r.label !== "oos");
const test = read("test").filter((r) => r.label !== "oos");
const started = performance.now();
const tfidf = fitTfidf(
  train.map((r) => r.text),
  { minDf: Number(minDfText ?? 2) },
);
const x = (rows: typeof train) => rows.map((r) => ({ vector: tfidf.transform(r.text), label: r.label }));
const trainX = x(train);
const valX = x(val);
const testX = x(test);
console.log(`features ${tfidf.dimension}, featurised in ${((performance.now() - started) / 1000).toFixed(1)} s`);
let last = performance.now();
const head = trainHead(trainX, {
  validation: valX,
  epochs: Number(epochsText ?? 60),
  patience: 1000,
  learningRate: Number(rateText ?? 0.01),
  onProgress: (epoch, m) => {
    const now = performance.now();
    console.log(
      `epoch ${epoch} ${((now - last) / 1000).toFixed(1)} s  train loss ${m.trainLoss.toFixed(4)}  val loss ${m.validationLoss?.toFixed(4)}  val acc ${(m.validationAccuracy! * 100).toFixed(2)}`,
    );
    last = now;
  },
});
const scored = testX.map((e) => {
  const p = head.predict(e.vector);
  return { c: p.confidence, ok: p.label === e.label };
});
const at = (cov: number) => {
  const s = [...scored].sort((a, b) => b.c - a.c).slice(0, Math.round(cov * scored.length));
  return s.filter((r) => r.ok).length / s.length;
};
console.log(`best epoch ${head.metrics!.bestEpoch}; T ${head.temperature.toFixed(3)}; test acc100 ${(at(1) * 100).toFixed(2)} acc80 ${(at(0.8) * 100).toFixed(2)}`);
