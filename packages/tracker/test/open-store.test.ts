import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMoeRouterError } from "@moe-router/core";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../src/index.js";
import { decisionRecord } from "./support/records.js";

const cwd = mkdtempSync(join(tmpdir(), "moe-open-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe("openStore", () => {
  it("opens a JSONL store from 'jsonl:<path>' or a .jsonl path, relative to cwd", async () => {
    for (const spec of ["jsonl:logs/a.log", "logs/b.jsonl", `jsonl:${join(cwd, "abs", "c.jsonl")}`]) {
      const store = await openStore(spec, { cwd });
      store.append(decisionRecord());
      await store.close();
    }
    expect(readdirSync(join(cwd, "logs")).sort()).toEqual(["a.log", "b.jsonl"]);
    expect(existsSync(join(cwd, "abs", "c.jsonl"))).toBe(true);
  });

  it("reads rotation settings from the spec", async () => {
    const store = await openStore("jsonl:rotated/events.jsonl?rotate=monthly&maxBytes=2KB", { cwd });
    expect(store.description).toBe(join(cwd, "rotated", "events.jsonl"));
    for (let i = 0; i < 6; i++) {
      store.append(decisionRecord(new Date("2026-11-04T10:00:00Z")));
      await store.flush();
    }
    await store.close();
    const files = readdirSync(join(cwd, "rotated"));
    expect(files).toContain("events-2026-11.jsonl");
    expect(files).toContain("events-2026-11.1.jsonl");
  });

  it("rejects specs it cannot read, saying what is accepted", async () => {
    for (const spec of ["", "mysql://x", "events.txt", "jsonl:?rotate=monthly", "jsonl:x.jsonl?rotate=daily", "jsonl:x.jsonl?maxBytes=lots", "jsonl:x.jsonl?compress=1"]) {
      const error = await openStore(spec, { cwd }).catch((e: unknown) => e);
      expect(isMoeRouterError(error, "MOE_INVALID_CONFIG"), spec).toBe(true);
      expect((error as Error).message).toContain("postgres://");
    }
  });

  it("opens a PostgreSQL store from a postgres:// URL (unreachable here: STORE_FAILED)", async () => {
    const error = await openStore("postgres://nobody@127.0.0.1:1/db?tablePrefix=moe", { cwd }).catch((e: unknown) => e);
    expect(isMoeRouterError(error, "MOE_STORE_FAILED")).toBe(true);
  });
});
