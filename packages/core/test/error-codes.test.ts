import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../src/index.js";

// Issue 10: every error code the project prints is registered in ErrorCode and documented in
// core's README (MOE_UNKNOWN_COMMAND was printed but not registered).
const packagesDir = join(dirname(fileURLToPath(import.meta.url)), "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "dist" ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const files = readdirSync(packagesDir)
  .map((name) => join(packagesDir, name, "src"))
  .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory())
  .flatMap(sourceFiles);

const registered = new Set<string>(Object.values(ErrorCode));

/** Environment variables (read as env.MOE_X, env["MOE_X"] or written $MOE_X anywhere): not error codes, in prose either. */
const environmentVariables = new Set(files.flatMap((file) => [...readFileSync(file, "utf8").matchAll(/(?:env\.|env\[["']|\$\{?)(MOE_[A-Z0-9_]+)/g)].map((m) => m[1]!)));

/** `MOE_*` tokens that name error codes. */
function codeLiterals(text: string): string[] {
  return [...text.matchAll(/\b(MOE_[A-Z0-9_]+)\b/g)].map((m) => m[1]!).filter((name) => !environmentVariables.has(name));
}

describe("error codes", () => {
  it("scans the sources of every package", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((file) => file.includes(join("cli", "src")))).toBe(true);
  });

  it("every MOE_* code written in a package's source is registered in ErrorCode", () => {
    const unregistered: string[] = [];
    for (const file of files) {
      for (const code of codeLiterals(readFileSync(file, "utf8"))) {
        if (!registered.has(code)) unregistered.push(`${relative(packagesDir, file)}: ${code}`);
      }
    }
    expect(unregistered).toEqual([]);
  });

  it("every ErrorCode.NAME used in a package's source exists", () => {
    const missing: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, "utf8").matchAll(/\bErrorCode\.([A-Z0-9_]+)/g)) {
        if (!(match[1]! in ErrorCode)) missing.push(`${relative(packagesDir, file)}: ErrorCode.${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("core's README documents exactly the registered codes, one table row each", () => {
    const readme = readFileSync(join(packagesDir, "core/README.md"), "utf8");
    const rows = [...readme.matchAll(/^\| `(MOE_[A-Z0-9_]+)` \| (.+) \|$/gm)];
    expect(rows.map((row) => row[1]).sort()).toEqual([...registered].sort());
    for (const row of rows) expect(row[2]!.trim().length, row[1]).toBeGreaterThan(10);
  });

  it("codes are MOE_ + the key, and unique", () => {
    for (const [key, code] of Object.entries(ErrorCode)) expect(code).toBe(`MOE_${key}`);
    expect(registered.size).toBe(Object.keys(ErrorCode).length);
  });
});
