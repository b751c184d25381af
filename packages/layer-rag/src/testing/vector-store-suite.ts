/**
 * The shared vector store suite: every store (embedded, pgvector, a third party's) must
 * pass it. Register it with three lines:
 *
 *   vectorStoreSuite({ describe, it }, "my store", (settings) => openMyStore(settings), { persistent: true });
 */
import assert from "node:assert/strict";
import { isMoeRouterError, seededRandom } from "@moe-router/core";
import type { VectorItem, VectorStore } from "../index.js";

/** The parts of a test runner the suite needs. */
export interface SuiteTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => unknown, timeout?: number): void;
}

/** What the factory is asked for. The same `name` must reach the same storage (file, table). */
export interface StoreSettings {
  readonly dimension: number;
  readonly embedderId: string;
  readonly name: string;
}

/** Options of {@link vectorStoreSuite}. */
export interface VectorStoreSuiteOptions {
  /** Run the reopen/embedder-mismatch group: the store keeps items across close and reopen. */
  readonly persistent?: boolean;
}

const DIMENSION = 16;
const EMBEDDER = "suite-embedder-v1";

function randomVector(random: () => number, dimension = DIMENSION): Float32Array {
  return Float32Array.from({ length: dimension }, () => random() * 2 - 1);
}

function basis(index: number, dimension = DIMENSION): Float32Array {
  const v = new Float32Array(dimension);
  v[index] = 1;
  return v;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

function item(id: string, vector: Float32Array, expert = "security-master", extra: Partial<VectorItem> = {}): VectorItem {
  return { id, vector, expert, text: `text of ${id}`, source: "task", ...extra };
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isMoeRouterError(error, code), `expected ${code}, got ${String((error as Error)?.message ?? error)}`);
    return true;
  });
}

let counter = 0;

/** Registers the shared contract tests for a vector store factory. */
export function vectorStoreSuite(test: SuiteTestApi, label: string, factory: (settings: StoreSettings) => Promise<VectorStore>, options: VectorStoreSuiteOptions = {}): void {
  const settings = (name = `s${++counter}_${Date.now().toString(36)}`): StoreSettings => ({ dimension: DIMENSION, embedderId: EMBEDDER, name });
  const it = (name: string, body: (store: VectorStore, own: StoreSettings) => Promise<void>) =>
    test.it(name, async () => {
      const own = settings();
      const store = await factory(own);
      try {
        await body(store, own);
      } finally {
        await store.close();
      }
    });

  test.describe(`vector store suite: ${label}`, () => {
    it("starts empty and reports its dimension", async (store) => {
      assert.equal(store.dimension, DIMENSION);
      assert.equal(typeof store.kind, "string");
      assert.equal(await store.count(), 0);
      assert.deepEqual(await store.query(basis(0), 5), []);
    });

    it("returns the nearest items first with their cosine similarity", async (store) => {
      const random = seededRandom(1);
      const items = Array.from({ length: 40 }, (_, i) => item(`item-${String(i).padStart(2, "0")}`, randomVector(random), i % 2 ? "cicd-master" : "security-master"));
      await store.upsert(items);
      assert.equal(await store.count(), 40);
      const query = randomVector(random);
      const expected = items
        .map((it) => ({ id: it.id, score: cosine(query, it.vector as Float32Array) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 5);
      const found = await store.query(query, 5);
      assert.deepEqual(
        found.map((n) => n.id),
        expected.map((e) => e.id),
      );
      found.forEach((n, i) => assert.ok(Math.abs(n.score - expected[i]!.score) < 1e-5, `score of ${n.id}: ${n.score} vs ${expected[i]!.score}`));
      const byId = new Map(items.map((it) => [it.id, it]));
      for (const n of found) assert.equal(n.expert, byId.get(n.id)!.expert);
    });

    it("matches brute force on 600 items for k = 10", async (store) => {
      const random = seededRandom(7);
      const items = Array.from({ length: 600 }, (_, i) => item(`r${i}`, randomVector(random)));
      await store.upsert(items);
      for (let q = 0; q < 5; q++) {
        const query = randomVector(random);
        const expected = items
          .map((it) => ({ id: it.id, score: cosine(query, it.vector as Float32Array) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 10);
        assert.deepEqual(
          (await store.query(query, 10)).map((n) => n.id),
          expected.map((e) => e.id),
        );
      }
    });

    it("returns every item when k exceeds the count, and scores do not depend on the query's length", async (store) => {
      await store.upsert([item("a", basis(0)), item("b", basis(1))]);
      const scaled = Float32Array.from(basis(0), (v) => v * 7);
      const found = await store.query(scaled, 10);
      assert.deepEqual(
        found.map((n) => n.id),
        ["a", "b"],
      );
      assert.ok(Math.abs(found[0]!.score - 1) < 1e-6);
      assert.ok(Math.abs(found[1]!.score) < 1e-6);
    });

    it("breaks ties by id", async (store) => {
      await store.upsert([item("c", basis(2)), item("a", basis(2)), item("b", basis(2))]);
      assert.deepEqual(
        (await store.query(basis(2), 3)).map((n) => n.id),
        ["a", "b", "c"],
      );
    });

    it("keeps text, source, path and weight", async (store) => {
      await store.upsert([
        item("doc:src/auth.ts#L1-40", basis(3), "security-master", { source: "document", path: "src/auth.ts", text: "export function login() {}", weight: 2.5 }),
        item("task:1", basis(4), "cicd-master"),
      ]);
      const [doc] = await store.query(basis(3), 1);
      assert.deepEqual(
        { ...doc!, score: Math.round(doc!.score) },
        {
          id: "doc:src/auth.ts#L1-40",
          expert: "security-master",
          text: "export function login() {}",
          source: "document",
          path: "src/auth.ts",
          weight: 2.5,
          score: 1,
        },
      );
      const [task] = await store.query(basis(4), 1);
      assert.equal(task!.path, undefined);
      assert.equal(task!.weight, 1);
      assert.equal(task!.source, "task");
    });

    it("replaces an item upserted again under the same id", async (store) => {
      await store.upsert([item("x", basis(0), "security-master"), item("y", basis(1))]);
      await store.upsert([item("x", basis(5), "inventory-master", { text: "new text" })]);
      assert.equal(await store.count(), 2);
      const [top] = await store.query(basis(5), 1);
      assert.deepEqual([top!.id, top!.expert, top!.text], ["x", "inventory-master", "new text"]);
      const old = (await store.query(basis(0), 2)).find((n) => n.id === "x");
      assert.ok(old && Math.abs(old.score) < 1e-6, "the replaced vector must no longer match");
    });

    it("keeps the last of several items with the same id in one batch", async (store) => {
      await store.upsert([item("dup", basis(0), "security-master"), item("other", basis(1)), item("dup", basis(2), "cicd-master")]);
      assert.equal(await store.count(), 2);
      const [top] = await store.query(basis(2), 1);
      assert.deepEqual([top!.id, top!.expert], ["dup", "cicd-master"]);
    });

    it("deletes by id and lists ids by source", async (store) => {
      await store.upsert([item("t1", basis(0)), item("t2", basis(1)), item("d1", basis(2), "development-master", { source: "document", path: "a.md" })]);
      assert.deepEqual((await store.ids!()).sort(), ["d1", "t1", "t2"]);
      assert.deepEqual(await store.ids!("document"), ["d1"]);
      assert.equal(await store.delete!(["t1", "missing"]), 1);
      assert.equal(await store.count(), 2);
      assert.deepEqual((await store.query(basis(0), 5)).map((n) => n.id).includes("t1"), false);
      assert.deepEqual((await store.ids!("task")).sort(), ["t2"]);
    });

    it("rejects vectors of another dimension with MOE_INVALID_CONFIG and stores nothing of the batch", async (store) => {
      await rejectsWithCode(store.upsert([item("ok", basis(0)), item("bad", new Float32Array(DIMENSION + 1).fill(1))]), "MOE_INVALID_CONFIG");
      assert.equal(await store.count(), 0);
      await rejectsWithCode(store.query(new Float32Array(3).fill(1), 1), "MOE_INVALID_CONFIG");
    });

    it("rejects zero vectors on upsert and answers a zero query with nothing", async (store) => {
      await assert.rejects(store.upsert([item("zero", new Float32Array(DIMENSION))]), TypeError);
      await store.upsert([item("a", basis(0))]);
      assert.deepEqual(await store.query(new Float32Array(DIMENSION), 3), []);
    });

    it("fails with MOE_CLOSED after close()", async (store) => {
      await store.upsert([item("a", basis(0))]);
      await store.close();
      await store.close(); // closing twice is harmless
      await rejectsWithCode(store.query(basis(0), 1), "MOE_CLOSED");
      await rejectsWithCode(store.count(), "MOE_CLOSED");
    });

    if (options.persistent) {
      test.it("keeps its items across close and reopen", async () => {
        const own = settings();
        const first = await factory(own);
        await first.upsert([item("kept", basis(6), "cicd-master", { source: "document", path: "ci.yml" }), item("gone", basis(7))]);
        await first.delete!(["gone"]);
        await first.close();
        const second = await factory(own);
        try {
          assert.equal(await second.count(), 1);
          const [n] = await second.query(basis(6), 1);
          assert.deepEqual([n!.id, n!.expert, n!.path], ["kept", "cicd-master", "ci.yml"]);
        } finally {
          await second.close();
        }
      });

      test.it("refuses storage built under another embedder id with MOE_INVALID_CONFIG", async () => {
        const own = settings();
        const first = await factory(own);
        await first.upsert([item("a", basis(0))]);
        await first.close();
        await rejectsWithCode(
          (async () => {
            const other = await factory({ ...own, embedderId: "another-embedder" });
            try {
              await other.count();
            } finally {
              await other.close();
            }
          })(),
          "MOE_INVALID_CONFIG",
        );
      });
    }
  });
}
