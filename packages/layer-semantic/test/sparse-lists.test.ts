import { afterEach, describe, expect, it } from "vitest";
import type { Verdict } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { semanticLayer } from "../src/index.js";
import { ExemplarIndex, type NewRow } from "../src/internal/exemplar-index.js";
import { seededRandom } from "../src/internal/random.js";
import { scoreExperts, setListSearch } from "../src/internal/scoring.js";
import type { ScoringMethod } from "../src/types.js";

const DIMENSION = 64;
const METHODS: readonly ScoringMethod[] = ["knn", "max", "centroid"];

afterEach(() => setListSearch(true));

/** A sparse signed vector: about `density` of its components non-zero. */
function sparseVector(random: () => number, density: number): Float32Array {
  const vector = new Float32Array(DIMENSION);
  for (let i = 0; i < DIMENSION; i++) if (random() < density) vector[i] = (random() - 0.4) * 2;
  return vector;
}

/**
 * Seeded rows over 5 experts, with ties on purpose: exact duplicates within and across experts,
 * a zero vector, and vectors that share no component with some queries (cosine exactly 0).
 */
function seededRows(count: number, seed: number): NewRow[] {
  const random = seededRandom(seed);
  const rows: NewRow[] = [];
  for (let i = 0; i < count; i++) {
    const expert = `expert-${i % 5}`;
    let vector = sparseVector(random, 0.12);
    if (i % 7 === 3 && rows.length > 0) vector = Float32Array.from(rows[Math.floor(random() * rows.length)]!.vector);
    if (i === 10) vector = new Float32Array(DIMENSION);
    rows.push({ text: `t${i}`, key: `k${i}`, kind: "exemplar", expert, vector });
  }
  return rows;
}

function normalised(vector: Float32Array): Float32Array {
  let squared = 0;
  for (const value of vector) squared += value * value;
  return vector.map((value) => value / Math.sqrt(squared));
}

function bothWays(index: ExemplarIndex, query: Float32Array, method: ScoringMethod, allowed?: Set<number>, excludeRow = -1) {
  setListSearch(true);
  const lists = scoreExperts(index, query, method, 5, allowed, excludeRow);
  setListSearch(false);
  const scan = scoreExperts(index, query, method, 5, allowed, excludeRow);
  setListSearch(true);
  return { lists, scan };
}

describe("inverted lists", () => {
  it("score every expert exactly as the column scan, ties and zero cosines included", () => {
    const index = new ExemplarIndex(DIMENSION);
    const rows = seededRows(400, 1);
    index.addMany(rows);
    expect(index.searchLists()).toBeDefined();
    // Rows across several 64-row tiles are stored as their normalised vectors, zeros included.
    for (const row of [0, 10, 63, 64, 130, 399]) {
      const input = rows[row]!.vector;
      const norm = Math.sqrt(Array.from(input).reduce((sum, value) => sum + value * value, 0));
      expect(Array.from(index.vector(row))).toStrictEqual(Array.from(input, (value) => (norm > 0 ? Math.fround(value * (1 / norm)) : 0)));
    }
    const random = seededRandom(2);
    for (let q = 0; q < 60; q++) {
      // Every fifth query is an exemplar itself: exact-match ties between duplicates.
      const query = normalised(q % 5 === 0 ? Float32Array.from(rows[q * 3]!.vector) : sparseVector(random, 0.1));
      if (query.some((value) => !Number.isFinite(value))) continue;
      for (const method of METHODS) {
        const { lists, scan } = bothWays(index, query, method);
        expect(lists).toEqual(scan);
        // Bit for bit, not only close: the same products added in the same order.
        expect(Array.from(lists.scores)).toStrictEqual(Array.from(scan.scores));
        const allowed = new Set([1, 3]);
        expect(bothWays(index, query, method, allowed).lists).toEqual(bothWays(index, query, method, allowed).scan);
        const left = bothWays(index, query, method, undefined, q * 5);
        expect(left.lists).toEqual(left.scan);
      }
    }
  });

  it("see rows appended after the first search, relabelled rows and replaced vectors", () => {
    const index = new ExemplarIndex(DIMENSION, 4);
    const rows = seededRows(120, 3);
    index.addMany(rows.slice(0, 60));
    const query = normalised(Float32Array.from(rows[100]!.vector));
    const before = bothWays(index, query, "knn");
    expect(before.lists).toEqual(before.scan);
    expect(index.searchLists()!.size).toBe(60);

    // Learning: new rows (the columns grow and are re-laid), one at a time and in bulk.
    index.add("t100", "k100", "learned", "expert-9", rows[100]!.vector);
    index.addMany(rows.slice(60, 100));
    const after = bothWays(index, query, "knn");
    expect(after.lists).toEqual(after.scan);
    expect(index.searchLists()!.size).toBe(101);
    // The learned copy of the query is found: an exact match decides for its expert.
    expect(after.lists.nearestRow[after.lists.experts.indexOf(index.findExpert("expert-9")!)]).toBe(60);

    // A correction moves a row to another expert: the lists need no change.
    index.relabel(60, "expert-0");
    const relabelled = bothWays(index, query, "max");
    expect(relabelled.lists).toEqual(relabelled.scan);
    expect(relabelled.lists.nearestRow[relabelled.lists.experts.indexOf(index.findExpert("expert-0")!)]).toBe(60);

    // Re-embedding replaces vectors: the lists are rebuilt, never served stale.
    index.replaceVector(60, rows[5]!.vector);
    const replaced = bothWays(index, query, "max");
    expect(replaced.lists).toEqual(replaced.scan);
    expect(replaced.lists.nearestRow).not.toContain(60);
  });

  it("are not kept for dense vectors: the column scan serves them", () => {
    const index = new ExemplarIndex(8);
    const random = seededRandom(4);
    const dense = () => Float32Array.from({ length: 8 }, () => random() - 0.5);
    index.addMany(Array.from({ length: 30 }, (_, i) => ({ text: `t${i}`, key: `k${i}`, kind: "exemplar" as const, expert: `e${i % 3}`, vector: dense() })));
    expect(index.searchLists()).toBeUndefined();
    const query = normalised(dense());
    expect(bothWays(index, query, "knn").lists).toEqual(bothWays(index, query, "knn").scan);
  });
});

describe("the layer with inverted lists", () => {
  it("gives verdicts identical to the column scan, before and after learn()", async () => {
    const experts = {
      "security-master": { exemplars: ["rotate the leaked api keys", "renew the tls certificate", "revoke the old tokens", "audit the iam roles"] },
      "cicd-master": { exemplars: ["deploy the api to production", "roll back the release", "fix the failing pipeline", "publish the docker image"] },
      "inventory-master": { exemplars: ["count the servers in the rack", "list the laptops we own", "order more ssd drives", "track the license seats"] },
    };
    const embedder = hashedEmbedder();
    embedder.fitIdf(Object.values(experts).flatMap((expert) => expert.exemplars));
    const layer = semanticLayer({ embedder, experts });
    const tasks = ["the release must be rolled back", "leaked keys need rotating", "how many laptops", "", "zzz qqq", "publish the image to the registry"];
    const compare = () => {
      const verdicts = (enabled: boolean): Verdict[] => {
        setListSearch(enabled);
        return tasks.map((description) => layer.route({ description }, { eventId: "t" }) as Verdict);
      };
      const withLists = verdicts(true);
      const scanned = verdicts(false);
      setListSearch(true);
      expect(withLists).toStrictEqual(scanned);
      return withLists;
    };
    await layer.ready();
    compare();
    await layer.learn([{ text: "publish the image to the registry", expert: "inventory-master", source: "manual" }]);
    const learned = compare();
    expect(learned[5]!.expert).toBe("inventory-master");
    expect(learned[5]!.details!.nearest_exemplar).toBe("publish the image to the registry");
  });
});
