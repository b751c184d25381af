import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../src/index.js";

describe("writeFileAtomic", () => {
  it("creates parent directories and writes strings, bytes and pieces in order", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-atomic-"));
    const path = join(dir, "a/b/file.bin");
    await writeFileAtomic(path, "first");
    expect(readFileSync(path, "utf8")).toBe("first");
    await writeFileAtomic(path, new Uint8Array([104, 105]), { fsync: true });
    expect(readFileSync(path, "utf8")).toBe("hi");
    await writeFileAtomic(path, [Buffer.from("one,"), Buffer.from("two")]);
    expect(readFileSync(path, "utf8")).toBe("one,two");
    expect(readdirSync(join(dir, "a/b"))).toEqual(["file.bin"]);
  });

  it("leaves the old file and no temporary file behind when the rename fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-atomic-"));
    const path = join(dir, "occupied");
    mkdirSync(join(path, "child"), { recursive: true }); // a non-empty directory cannot be replaced by a file
    await expect(writeFileAtomic(path, "data")).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["occupied"]);
  });
});
