import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { embeddedStore } from "../src/index.js";
import { seededRandom } from "@moe-router/core";
import { vectorStoreSuite } from "../src/testing/index.js";

const directory = mkdtempSync(join(tmpdir(), "moe-rag-embedded-"));

vectorStoreSuite(
  { describe, it },
  "embedded (persisted to a file)",
  async ({ dimension, embedderId, name }) => embeddedStore({ dimension, embedderId, path: join(directory, `${name}.moerag`), initialCapacity: 4 }),
  { persistent: true },
);

vectorStoreSuite({ describe, it }, "embedded (memory only)", async ({ dimension, embedderId }) => embeddedStore({ dimension, embedderId }));

function vectors(count: number, dimension: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dimension }, () => random() - 0.5));
}

describe("embedded store file", () => {
  it("round-trips many items through the file, growing past its initial capacity", async () => {
    const path = join(directory, "round-trip.moerag");
    const store = embeddedStore({ dimension: 8, embedderId: "e1", path, initialCapacity: 2 });
    const vs = vectors(300, 8, 3);
    await store.upsert(vs.map((vector, i) => ({ id: `i${i}`, vector, expert: `expert-${i % 3}`, text: `t${i}`, source: "task" as const })));
    await store.delete(["i5", "i299"]);
    const before = await store.query(vs[10]!, 5);
    await store.close();

    const reopened = embeddedStore({ dimension: 8, embedderId: "e1", path });
    expect(await reopened.count()).toBe(298);
    expect(await reopened.query(vs[10]!, 5)).toEqual(before);
    expect(before[0]).toMatchObject({ id: "i10", expert: "expert-1" });
    await reopened.close();
  });

  it("writes nothing until flush and leaves no temp file behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-rag-flush-"));
    const path = join(dir, "nested", "index.moerag");
    const store = embeddedStore({ dimension: 4, path });
    await store.upsert([{ id: "a", vector: [1, 0, 0, 0], expert: "x", text: "a", source: "task" }]);
    expect(() => readFileSync(path)).toThrow();
    await store.flush();
    expect(readFileSync(path).subarray(0, 6).toString()).toBe("MOERAG");
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(join(dir, "nested"))).toEqual(["index.moerag"]);
    await store.close();
  });

  it("reports a truncated or damaged file as MOE_CORRUPT_FILE and says to re-index", async () => {
    const path = join(directory, "corrupt.moerag");
    const store = embeddedStore({ dimension: 4, embedderId: "e", path });
    await store.upsert([{ id: "a", vector: [1, 2, 3, 4], expert: "x", text: "a", source: "task" }]);
    await store.close();
    const bytes = readFileSync(path);

    writeFileSync(path, bytes.subarray(0, bytes.length - 3));
    expect(() => embeddedStore({ dimension: 4, embedderId: "e", path })).toThrow(expect.objectContaining({ code: "MOE_CORRUPT_FILE", message: expect.stringMatching(/re-index/) }));

    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0xff;
    writeFileSync(path, flipped);
    expect(() => embeddedStore({ dimension: 4, embedderId: "e", path })).toThrow(expect.objectContaining({ code: "MOE_CORRUPT_FILE", message: expect.stringMatching(/checksum/) }));

    writeFileSync(path, "{ not an index }");
    expect(() => embeddedStore({ dimension: 4, embedderId: "e", path })).toThrow(expect.objectContaining({ code: "MOE_CORRUPT_FILE" }));
  });

  it("refuses a file of another dimension or embedder with MOE_INVALID_CONFIG naming both", async () => {
    const path = join(directory, "keyed.moerag");
    const store = embeddedStore({ dimension: 4, embedderId: "hashed-v1:d4", path });
    await store.upsert([{ id: "a", vector: [1, 0, 0, 0], expert: "x", text: "a", source: "task" }]);
    await store.close();
    expect(() => embeddedStore({ dimension: 4, embedderId: "minilm", path })).toThrow(
      expect.objectContaining({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/hashed-v1:d4.*minilm.*Re-index/s) }),
    );
    expect(() => embeddedStore({ dimension: 8, embedderId: "hashed-v1:d4", path })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
  });
});
