/**
 * What the JSONL writer learns from the file's size before each batch, now one synchronous
 * fstat (it was an asynchronous stat, twice with maxBytes): another process's torn tail
 * written between two of our batches, and another process filling the file past maxBytes.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsonlStore, type EventStore } from "../src/index.js";
import { decisionRecord } from "./support/records.js";

const root = mkdtempSync(join(tmpdir(), "moe-jsonl-shared-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshPath = () => join(root, `log-${++dirs}`, "events.jsonl");

async function ids(store: EventStore): Promise<string[]> {
  const found: string[] = [];
  for await (const event of store.read()) found.push(event.event_id);
  return found;
}

describe("jsonl writer: a file other processes write too", () => {
  it("starts a new line after another process's torn tail, even mid-run (not only when it opens the file)", async () => {
    const path = freshPath();
    const store = jsonlStore({ path });
    const first = decisionRecord();
    store.append(first);
    await store.flush();
    // Another writer dies mid-line while ours keeps its file open.
    const torn = JSON.stringify(decisionRecord()).slice(0, 120);
    appendFileSync(path, torn);
    const second = decisionRecord();
    store.append(second);
    await store.flush();
    expect(readFileSync(path, "utf8")).toContain(`${torn}\n{"schema_version"`);
    const reader = jsonlStore({ path });
    expect(await ids(reader)).toEqual([second.event_id, first.event_id]);
    expect(reader.stats().tornLines).toBe(1);
    await Promise.all([store.close(), reader.close()]);
  });

  it("does not prefix a newline when the file still ends with its own last line, or with another writer's whole lines", async () => {
    const path = freshPath();
    const store = jsonlStore({ path });
    store.append(decisionRecord());
    await store.flush();
    appendFileSync(path, `${JSON.stringify(decisionRecord())}\n`);
    store.append(decisionRecord());
    await store.flush();
    store.append(decisionRecord());
    await store.flush();
    expect(readFileSync(path, "utf8").split("\n")).toHaveLength(5); // four lines and the final ""
    await store.close();
  });

  it("moves on to the next size index when another process filled the current file past maxBytes", async () => {
    const path = freshPath();
    const store = jsonlStore({ path, rotate: { maxBytes: 20_000 } });
    const mine = decisionRecord();
    store.append(mine);
    await store.flush();
    expect(readdirSync(join(path, "..")).sort()).toEqual(["events.jsonl"]);
    // The other writer's lines take events.jsonl past the limit; ours must not keep growing it.
    const others = Array.from({ length: 40 }, () => decisionRecord());
    appendFileSync(path, others.map((record) => `${JSON.stringify(record)}\n`).join(""));
    const before = readFileSync(path).length;
    expect(before).toBeGreaterThan(20_000);
    const next = decisionRecord();
    store.append(next);
    await store.flush();
    expect(readFileSync(path).length).toBe(before);
    expect(readFileSync(join(path, "..", "events.1.jsonl"), "utf8")).toContain(next.event_id);
    expect((await ids(store))[0]).toBe(next.event_id);
    await store.close();
  });
});
