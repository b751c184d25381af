import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDependencyRules } from "../checks/dependency-rules.js";

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "moe-rules-"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ devDependencies: { vitest: "4.1.12" } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const manifest = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ name: `@moe-router/${name}`, peerDependencies: { "@moe-router/core": "^0.1.0" }, ...extra });

describe("dependency rules", () => {
  it("accepts a layer that imports only core's public entry", () => {
    const root = workspace({
      "packages/core/package.json": JSON.stringify({ name: "@moe-router/core" }),
      "packages/core/src/index.ts": "export const x = 1;\n",
      "packages/layer-a/package.json": manifest("layer-a"),
      "packages/layer-a/src/index.ts": 'import { x } from "@moe-router/core";\nimport { y } from "./internal/y.js";\nexport const z = x + y;\n',
      "packages/layer-a/src/internal/y.ts": "export const y = 2;\n",
      "packages/layer-a/test/a.test.ts": 'import { it } from "vitest";\nit("a", () => {});\n',
    });
    expect(checkDependencyRules(root)).toEqual([]);
  });

  it("reports sibling-layer imports, deep imports, heavy and undeclared dependencies", () => {
    const root = workspace({
      "packages/core/package.json": JSON.stringify({ name: "@moe-router/core" }),
      "packages/layer-a/package.json": manifest("layer-a"),
      "packages/layer-a/src/index.ts": [
        'import { b } from "@moe-router/layer-b";',
        'import { c } from "@moe-router/core/src/cascade.js";',
        'import * as ort from "onnxruntime-node";',
        'import { d } from "../../layer-b/src/index.js";',
        'import lodash from "lodash";',
        "export const all = [b, c, ort, d, lodash];",
      ].join("\n"),
      "packages/layer-b/package.json": manifest("layer-b"),
      "packages/layer-b/src/index.ts": "export const b = 1;\n",
    });
    const rules = checkDependencyRules(root).map((v) => `${v.line}:${v.rule}`);
    expect(rules).toEqual(expect.arrayContaining(["1:layer-imports-core-only", "2:no-deep-imports", "3:heavy-dependencies", "4:no-deep-imports", "5:declared-dependencies"]));
  });

  it("forbids core from importing anything of ours", () => {
    const root = workspace({
      "packages/core/package.json": JSON.stringify({ name: "@moe-router/core", dependencies: { "@moe-router/layer-a": "0.1.0" } }),
      "packages/core/src/index.ts": 'export { a } from "@moe-router/layer-a";\n',
      "packages/layer-a/package.json": manifest("layer-a"),
    });
    expect(checkDependencyRules(root)).toEqual([expect.objectContaining({ rule: "layer-imports-core-only", file: "packages/core/src/index.ts" })]);
  });

  it("forbids exporting from internal/ (core's index exported checkVerdict from internal/)", () => {
    const root = workspace({
      "packages/core/package.json": JSON.stringify({ name: "@moe-router/core" }),
      "packages/core/src/index.ts": 'export { checkVerdict } from "./internal/verdict.js";\nexport * from "./public.js";\n',
      "packages/core/src/public.ts": 'export { a } from "./internal/a.js";\n',
      "packages/core/src/internal/verdict.ts": "export const checkVerdict = 1;\n",
      "packages/core/src/internal/a.ts": 'export { checkVerdict as a } from "./verdict.js";\n',
    });
    expect(checkDependencyRules(root).map((v) => `${v.file}:${v.line}:${v.rule}`)).toEqual(["packages/core/src/index.ts:1:no-internal-exports", "packages/core/src/public.ts:1:no-internal-exports"]);
  });

  it("lets shipped code use a subpath another package exports (a light entry), never its test kit or an undeclared one", () => {
    const core = JSON.stringify({ name: "@moe-router/core", exports: { ".": "./dist/index.js", "./rules": "./dist/rules.js", "./testing": "./dist/testing.js" } });
    const root = workspace({
      "packages/core/package.json": core,
      "packages/layer-a/package.json": manifest("layer-a"),
      "packages/layer-a/src/index.ts": [
        'import { r } from "@moe-router/core/rules";',
        'import { t } from "@moe-router/core/testing";',
        'import { u } from "@moe-router/core/undeclared";',
        "export const all = [r, t, u];",
      ].join("\n"),
    });
    expect(checkDependencyRules(root).map((v) => `${v.line}:${v.rule}`)).toEqual(["2:public-entry-only", "3:public-entry-only"]);
  });

  // Parses every source file of the repository: minutes, not seconds, on a busy 2-core CI machine.
  it("holds for this repository", { timeout: 180_000 }, () => {
    expect(checkDependencyRules()).toEqual([]);
  });
});

describe("which of our packages each may import", () => {
  it("lets alerts read the tracker and the router validate alert rules, and nothing more", async () => {
    const { allowedInternalImports } = await import("../checks/dependency-rules.js");
    const all = ["core", "tracker", "tuner", "alerts", "router", "layer-keyword", "otel", "cli"];
    expect([...allowedInternalImports("alerts", all)].sort()).toEqual(["core", "tracker"]);
    expect([...allowedInternalImports("router", all)].sort()).toEqual(["alerts", "core", "tracker", "tuner"]);
    expect([...allowedInternalImports("otel", all)]).toEqual(["core"]);
    expect(allowedInternalImports("layer-keyword", all).has("tracker")).toBe(false);
  });
});
