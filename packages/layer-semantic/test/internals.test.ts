import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fitCalibration, rank } from "../src/internal/calibration.js";
import { stratifiedSplit } from "../src/internal/examples.js";
import { ExemplarIndex } from "../src/internal/exemplar-index.js";
import { fitMonotoneLogistic, sigmoid } from "../src/internal/logistic.js";
import { seededRandom } from "../src/internal/random.js";
import { scoreExperts } from "../src/internal/scoring.js";
import { readVectorFile, writeVectorFile } from "../src/internal/vector-file.js";

describe("ranking", () => {
  it("finds winner, runner-up and margin; a lone expert's margin is its score", () => {
    expect(rank([0.2, 0.9, 0.5])).toMatchObject({ winner: 1, runnerUp: 2, top: 0.9 });
    expect(rank([0.2, 0.9, 0.5]).margin).toBeCloseTo(0.4);
    expect(rank([0.7])).toMatchObject({ winner: 0, runnerUp: -1, margin: 0.7 });
    expect(rank([]).winner).toBe(-1);
  });
});

describe("monotone logistic fit", () => {
  const observations = (rows: { x: number; y: number; correct: boolean }[]) => rows.map((r) => ({ features: [r.x, r.y], target: r.correct ? 1 : 0, weight: 1 }));

  it("recovers known non-negative weights", () => {
    const random = seededRandom(5);
    const rows = Array.from({ length: 5000 }, () => {
      const x = random() * 0.4;
      const y = random();
      return { x, y, correct: random() < sigmoid(12 * x + 3 * y - 3) };
    });
    const [a, c, b] = fitMonotoneLogistic(observations(rows), 2);
    expect(a).toBeGreaterThan(9);
    expect(a).toBeLessThan(15);
    expect(c).toBeGreaterThan(2);
    expect(c).toBeLessThan(4);
    expect(b).toBeGreaterThan(-3.6);
    expect(b).toBeLessThan(-2.4);
  });

  it("pins a slope the data would make negative at 0 and fits the others", () => {
    const random = seededRandom(9);
    const rows = Array.from({ length: 4000 }, () => {
      const x = random() * 0.4;
      const y = random();
      return { x, y, correct: random() < sigmoid(10 * x - 4 * y) };
    });
    const [a, c] = fitMonotoneLogistic(observations(rows), 2);
    expect(c).toBe(0);
    expect(a).toBeGreaterThan(5);
  });

  it("keeps confidence monotone when the top score would lower it (no fallback needed)", () => {
    // Right answers come with low top scores here: an unconstrained fit would learn c < 0.
    const samples = Array.from({ length: 200 }, (_, i) => {
      const right = i % 3 !== 0;
      const top = right ? 0.3 + (i % 7) * 0.01 : 0.8 + (i % 5) * 0.01;
      const margin = right ? 0.05 + (i % 11) * 0.01 : 0.02 + (i % 4) * 0.01;
      return { scores: Float64Array.from([top, top - margin]), truth: right ? 0 : 1 };
    });
    const calibration = fitCalibration(samples, "platt", "margin+top", 0);
    expect(calibration).toMatchObject({ kind: "platt", feature: "margin+top", c: 0 });
    expect((calibration as { a: number }).a).toBeGreaterThan(0);
  });

  it("uses temperature scaling when every prediction was right and no prior is asked for", () => {
    const samples = [0, 1, 2, 3].map((i) => ({ scores: Float64Array.from([0.9 - i * 0.01, 0.1]), truth: 0 }));
    expect(fitCalibration(samples, "platt", "margin", 0).kind).toBe("temperature");
    // With the prior (the default), Platt is fitted: the prior's pseudo-examples are not all right.
    expect(fitCalibration(samples, "platt", "margin").kind).toBe("platt");
  });
});

describe("stratified split", () => {
  const examples = ["a", "b", "c"].flatMap((expert, e) => Array.from({ length: 10 * (e + 1) }, (_, i) => ({ text: `${expert}${i}`, expert })));

  it("holds out the share of every expert, reproducibly", () => {
    const { train, validation } = stratifiedSplit(examples, 0.1, 1);
    const count = (list: { expert: string }[], expert: string) => list.filter((x) => x.expert === expert).length;
    expect([count(validation, "a"), count(validation, "b"), count(validation, "c")]).toEqual([1, 2, 3]);
    expect(train.length + validation.length).toBe(examples.length);
    expect(stratifiedSplit(examples, 0.1, 1)).toEqual({ train, validation });
    expect(stratifiedSplit(examples, 0.1, 2).validation).not.toEqual(validation);
  });

  it("never holds out an expert's only example", () => {
    expect(stratifiedSplit([{ text: "x", expert: "solo" }], 0.9, 1).validation).toEqual([]);
  });
});

describe("scoring", () => {
  const index = new ExemplarIndex(3, 1); // capacity 1: forces the column re-layout on growth
  index.add("a1", "k1", "exemplar", "a", [1, 0, 0]);
  index.add("a2", "k2", "exemplar", "a", [0.8, 0.6, 0]);
  index.add("b1", "k3", "exemplar", "b", [0, 0, 2]); // not normalised: the index normalises

  it("computes max, knn and centroid scores from cosines", () => {
    const query = Float32Array.from([1, 0, 0]);
    const max = scoreExperts(index, query, "max", 1, undefined);
    expect(Array.from(max.scores)).toEqual([1, 0]);
    const knn = scoreExperts(index, Float32Array.from([0, 1, 0]), "knn", 2, undefined);
    expect(knn.scores[0]).toBeCloseTo(0.3, 6); // (0 + 0.6) / 2
    const centroid = scoreExperts(index, Float32Array.from([0, 1, 0]), "centroid", 1, undefined);
    expect(centroid.scores[0]).toBeCloseTo(0.6 / Math.hypot(1.8, 0.6), 6);
  });

  it("leaves one row out exactly as if it were absent", () => {
    const query = index.vector(1);
    for (const method of ["max", "knn", "centroid"] as const) {
      const left = scoreExperts(index, query, method, 2, undefined, 1);
      const reduced = new ExemplarIndex(3);
      reduced.add("a1", "k1", "exemplar", "a", [1, 0, 0]);
      reduced.add("b1", "k3", "exemplar", "b", [0, 0, 1]);
      const expected = scoreExperts(reduced, query, method, 2, undefined);
      expect(Array.from(left.scores).map((s) => s.toFixed(6))).toEqual(Array.from(expected.scores).map((s) => s.toFixed(6)));
    }
  });

  it("exports rows row-major, whatever the column stride", () => {
    expect(Array.from(index.rowMajor([2, 0]))).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it("restricts to allowed experts", () => {
    const result = scoreExperts(index, Float32Array.from([1, 0, 0]), "max", 1, new Set([1]));
    expect(result.experts).toEqual([1]);
  });
});

describe("vector file", () => {
  it("round-trips vectors and learned examples", async () => {
    const directory = mkdtempSync(join(tmpdir(), "moe-vectors-"));
    try {
      const path = join(directory, "v.bin");
      const data = Float32Array.from([0.5, -0.25, 1, 0, 0, 0]);
      await writeVectorFile(path, { embedderId: "émbedder-✓", dimension: 3, keys: ["k1", "k2"], data, learned: new Map([["k2", { text: "héllo", expert: "x" }]]) });
      const read = readVectorFile(path)!;
      expect(read.embedderId).toBe("émbedder-✓");
      expect([...read.vectors.entries()].map(([key, v]) => [key, Array.from(v)])).toEqual([
        ["k1", [0.5, -0.25, 1]],
        ["k2", [0, 0, 0]],
      ]);
      expect([...read.learned]).toEqual([["k2", { text: "héllo", expert: "x" }]]);
      expect(readVectorFile(join(directory, "absent.bin"))).toBeUndefined();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
