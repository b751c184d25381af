import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { layerConformance } from "@moe-router/core/testing";
import { hashedEmbedder } from "@moe-router/embeddings";
import { afterAll, describe, expect, it } from "vitest";
import { pgvectorStore, ragLayer } from "../src/index.js";
import { SEED_TASKS } from "./support/fixtures.js";
import { vectorStoreSuite } from "../src/testing/index.js";

// One in-process PostgreSQL (PGlite + pgvector) for the file; each test gets its own table.
const database = new PGlite({ extensions: { vector } });
afterAll(() => database.close());

vectorStoreSuite({ describe, it }, "pgvector (PGlite)", async ({ dimension, embedderId, name }) => pgvectorStore({ client: database, dimension, embedderId, table: name, batchSize: 50 }), {
  persistent: true,
});

// HNSW is approximate: a wide search beam makes its top 10 exact on these small tables.
vectorStoreSuite({ describe, it }, "pgvector (PGlite) with an HNSW index", async ({ dimension, embedderId, name }) => {
  await database.query("SET hnsw.ef_search = 400");
  return pgvectorStore({ client: database, dimension, embedderId, table: `${name}_hnsw`, index: { kind: "hnsw", efConstruction: 200 } });
});

describe("pgvector store", () => {
  it("rejects an unsafe table name with MOE_INVALID_CONFIG", () => {
    expect(() => pgvectorStore({ client: database, dimension: 4, table: "items; DROP TABLE x" })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
  });

  it("uses the cosine distance operator and creates the requested index", async () => {
    const store = pgvectorStore({ client: database, dimension: 4, table: "ivf_items", index: { kind: "ivfflat", lists: 1 } });
    await store.upsert([{ id: "a", vector: [1, 0, 0, 0], expert: "x", text: "a", source: "task" }]);
    const { rows } = await database.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'ivf_items'");
    expect(rows.map((r) => r.indexdef).join("\n")).toMatch(/ivfflat \(embedding vector_cosine_ops\)/);
    await store.close();
  });

  it("turns driver failures into MOE_STORE_FAILED with the cause", async () => {
    const failing = {
      query: async () => {
        throw new Error("connection refused");
      },
    };
    const store = pgvectorStore({ client: failing, dimension: 4 });
    await expect(store.count()).rejects.toMatchObject({ code: "MOE_STORE_FAILED", message: expect.stringMatching(/connection refused/) });
  });

  it("closes a client it owns", async () => {
    let ended = 0;
    const client = { query: database.query.bind(database) as never, end: async () => void ended++ };
    const store = pgvectorStore({ client, dimension: 4, table: "owned_items", closeClient: true });
    await store.count();
    await store.close();
    expect(ended).toBe(1);
  });
});

describe("the RAG layer on pgvector", () => {
  let table = 0;
  layerConformance({ describe, it }, async () => {
    const embedder = hashedEmbedder();
    const store = pgvectorStore({ client: database, dimension: embedder.dimension, embedderId: embedder.id, table: `conformance_${++table}` });
    const layer = ragLayer({ embedder, store });
    await layer.learn(SEED_TASKS);
    return layer;
  });
});

describe("two RAG layers on one pgvector table (two router instances on one database)", () => {
  it("route with what either learned, and learning the same correction on both keeps one item", async () => {
    const embedder = hashedEmbedder();
    const open = () => ragLayer({ embedder, store: pgvectorStore({ client: database, dimension: embedder.dimension, embedderId: embedder.id, table: "shared_items" }) });
    const [a, b] = [open(), open()];
    await a.learn(SEED_TASKS);
    const correction = { text: "Reconcile the quarterly vendor invoices against the purchase orders", expert: "inventory-master", source: "outcome" as const };
    await a.learn([correction]);
    const verdict = await b.route({ description: correction.text }, { eventId: "e1" });
    expect(verdict.expert).toBe("inventory-master");
    // The other instance picks the same correction up from the shared outcomes and learns it too.
    await b.learn([correction]);
    expect(await b.store.count()).toBe(SEED_TASKS.length + 1);
  });
});
