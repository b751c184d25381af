import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { layerConformance } from "@moe-router/core/testing";
import type { Layer } from "@moe-router/core";
import { repoRoot } from "../checks/workspace.js";
import { createLayerPackage } from "../create-layer/src/generate.js";

function fakeRepo(): string {
  const root = mkdtempSync(join(tmpdir(), "moe-create-layer-"));
  mkdirSync(join(root, "packages/core"), { recursive: true });
  writeFileSync(join(root, "packages/core/package.json"), JSON.stringify({ name: "@moe-router/core", version: "0.3.1" }));
  writeFileSync(join(root, "packages/core/tsconfig.json"), JSON.stringify({ compilerOptions: { composite: true } }));
  writeFileSync(join(root, "tsconfig.build.json"), JSON.stringify({ files: [], references: [{ path: "packages/core" }] }));
  writeFileSync(join(root, "tsconfig.base.json"), readFileSync(join(repoRoot, "tsconfig.base.json")));
  // The generated code imports @moe-router/core: point it at this repository's core.
  mkdirSync(join(root, "node_modules/@moe-router"), { recursive: true });
  symlinkSync(join(repoRoot, "packages/core"), join(root, "node_modules/@moe-router/core"));
  return root;
}

describe("create-layer", () => {
  it("writes nothing in a dry run but lists every file", () => {
    const root = fakeRepo();
    const result = createLayerPackage({ name: "sentiment", root });
    expect(result.written).toBe(false);
    expect(result.files).toEqual(
      expect.arrayContaining([
        "packages/layer-sentiment/package.json",
        "packages/layer-sentiment/src/layer.ts",
        "packages/layer-sentiment/src/index.ts",
        "packages/layer-sentiment/test/conformance.test.ts",
        "packages/layer-sentiment/README.md",
        ".changeset/layer-sentiment-initial.md",
      ]),
    );
    expect(existsSync(join(root, "packages/layer-sentiment"))).toBe(false);
    expect(JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8")).references).toHaveLength(1);
  });

  it("scaffolds a package with a peer range on core and registers it", () => {
    const root = fakeRepo();
    const result = createLayerPackage({ name: "code-owners", root, write: true });
    expect(result.registered).toEqual(["tsconfig.build.json"]);
    const manifest = JSON.parse(readFileSync(join(root, "packages/layer-code-owners/package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "@moe-router/layer-code-owners", type: "module", sideEffects: false, peerDependencies: { "@moe-router/core": "^0.3.0" } });
    expect(readFileSync(join(root, "packages/layer-code-owners/src/layer.ts"), "utf8")).toMatch(/export function codeOwnersLayer\(options: CodeOwnersLayerOptions\): Layer/);
    expect(readFileSync(join(root, "packages/layer-code-owners/README.md"), "utf8")).toMatch(
      /## What[\s\S]*## When[\s\S]*## Install[\s\S]*## Use[\s\S]*## Options[\s\S]*## Compatibility[\s\S]*## API/,
    );
    expect(JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8")).references).toContainEqual({ path: "packages/layer-code-owners" });
  });

  it("peers on core's first release while core is still unreleased (0.0.0)", () => {
    const root = fakeRepo();
    writeFileSync(join(root, "packages/core/package.json"), JSON.stringify({ name: "@moe-router/core", version: "0.0.0" }));
    createLayerPackage({ name: "fresh", root, write: true });
    expect(JSON.parse(readFileSync(join(root, "packages/layer-fresh/package.json"), "utf8")).peerDependencies).toEqual({ "@moe-router/core": "^0.1.0" });
  });

  it("refuses bad names and existing packages with a message saying what to do", () => {
    const root = fakeRepo();
    expect(() => createLayerPackage({ name: "Bad Name", root })).toThrowError(/kebab-case/);
    createLayerPackage({ name: "twice", root, write: true });
    expect(() => createLayerPackage({ name: "twice", root })).toThrowError(/already exists/);
  });

  describe("the generated skeleton passes the conformance kit", async () => {
    const root = fakeRepo();
    createLayerPackage({ name: "skeleton", root, write: true });
    const module = (await import(join(root, "packages/layer-skeleton/src/index.ts"))) as { skeletonLayer(options: unknown): Layer; createLayer(o: unknown, e: unknown): Layer };
    layerConformance({ describe, it }, () => module.skeletonLayer({ terms: { "cicd-master": ["deploy"], "security-master": ["audit"] } }));
    it("exposes createLayer for config files", () => {
      expect(module.createLayer({ terms: { a: ["x"] } }, { dataDir: root }).name).toBe("skeleton");
    });
  });
});
