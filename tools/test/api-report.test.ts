import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";
import { collectApi, diffReports, renderReport } from "../api-report/report.js";
import { updateReports } from "../api-report/bin.js";
import type { WorkspacePackage } from "../checks/workspace.js";

function fakePackage(source: string): WorkspacePackage {
  const dir = mkdtempSync(join(tmpdir(), "moe-api-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src/index.ts"), source);
  const manifest = { name: "@moe-router/demo", exports: { ".": { "moe-router-source": "./src/index.ts", types: "./dist/index.d.ts" }, "./package.json": "./package.json" } };
  return { folder: "demo", dir, name: manifest.name, manifest };
}

function report(source: string): string {
  const pkg = fakePackage(source);
  return renderReport(pkg, collectApi(pkg, new Project({ skipAddingFilesFromTsConfig: true })));
}

describe("API report", () => {
  const v1 = report(
    [
      "/** Doc comments do not count. */",
      "export function route(task: string, limit?: number): boolean { return task.length > (limit ?? 0); }",
      "export interface Options { readonly threshold: number }",
      "export const VERSION = 1 as const;",
      "export class Store { private secret = 1; constructor(readonly path: string) {} read(id: string): string { return id; } }",
    ].join("\n"),
  );

  it("lists functions, interfaces, constants and public class members, without private ones or docs", () => {
    expect(v1).toContain("`route` (function): `function route(task: string, limit?: number): boolean`");
    expect(v1).toContain("`Options` (interface)");
    expect(v1).toContain("`VERSION` (const): `const VERSION: 1`");
    expect(v1).toMatch(/`Store` \(class\): `class Store \{ constructor\(readonly path: string\); read\(id: string\): string \}`/);
    expect(v1).not.toContain("secret");
    expect(v1).not.toContain("Doc comments");
  });

  it("classifies additions as compatible and removals or signature changes as breaking", () => {
    const added = report(
      [
        "export function route(task: string, limit?: number): boolean { return task.length > (limit ?? 0); }",
        "export interface Options { readonly threshold: number }",
        "export const VERSION = 1 as const;",
        "export class Store { private secret = 1; constructor(readonly path: string) {} read(id: string): string { return id; } }",
        "export function extra(): void {}",
      ].join("\n"),
    );
    expect(diffReports(v1, added)).toEqual({ added: [".:extra:function"], removed: [], changed: [] });
    const broken = report(
      [
        "export function route(task: string, limit: number): boolean { return task.length > limit; }",
        "export interface Options { readonly threshold: number }",
        "export class Store { constructor(readonly path: string) {} read(id: string): string { return id; } }",
      ].join("\n"),
    );
    const diff = diffReports(v1, broken);
    expect(diff.removed).toEqual([".:VERSION:const"]);
    expect(diff.changed).toEqual([".:route:function"]);
  });

  it("treats members added to a const object (a new error code) as an addition, a removed or changed member as breaking", () => {
    const v1 = report('export const Codes = { A: "MOE_A", B: "MOE_B" } as const;');
    const grown = report('export const Codes = { A: "MOE_A", B: "MOE_B", C: "MOE_C" } as const;');
    expect(diffReports(v1, grown)).toEqual({ added: [".:Codes:const"], removed: [], changed: [] });
    const renamed = report('export const Codes = { A: "MOE_A", B: "MOE_BB", C: "MOE_C" } as const;');
    expect(diffReports(v1, renamed).changed).toEqual([".:Codes:const"]);
    const shrunk = report('export const Codes = { A: "MOE_A" } as const;');
    expect(diffReports(v1, shrunk).changed).toEqual([".:Codes:const"]);
  });

  it("treats optional members added to an interface (a new option) as an addition, a required or changed one as breaking", () => {
    const v1 = report("export interface Options { readonly k?: number; readonly onWarning?: (warning: string) => void }");
    const grown = report("export interface Options { readonly k?: number; readonly onWarning?: (warning: string) => void; readonly prior?: number }");
    expect(diffReports(v1, grown)).toEqual({ added: [".:Options:interface"], removed: [], changed: [] });
    const required = report("export interface Options { readonly k?: number; readonly onWarning?: (warning: string) => void; readonly prior: number }");
    expect(diffReports(v1, required).changed).toEqual([".:Options:interface"]);
    const retyped = report("export interface Options { readonly k?: string; readonly onWarning?: (warning: string) => void; readonly prior?: number }");
    expect(diffReports(v1, retyped).changed).toEqual([".:Options:interface"]);
  });

  // Builds every package's report with ts-morph: slow on a busy 2-core CI machine.
  it("checked-in reports of this repository are up to date", { timeout: 180_000 }, () => {
    expect(updateReports({ check: true })).toEqual([]);
  });
});
