import { describe, expect, it } from "vitest";
import { checkManifests, publishedExports, satisfies } from "../checks/manifests.js";
import type { WorkspacePackage } from "../checks/workspace.js";

const pkg = (name: string, manifest: Record<string, unknown>): WorkspacePackage => ({
  folder: name,
  dir: `/x/${name}`,
  name: `@moe-router/${name}`,
  manifest: { name: `@moe-router/${name}`, ...manifest },
});

describe("satisfies (npm's caret below and above 1.0)", () => {
  it.each<[string, string, boolean]>([
    ["0.1.0", "^0.1.0", true],
    ["0.1.5", "^0.1.0", true],
    ["0.2.0", "^0.1.0", false],
    ["0.0.0", "^0.1.0", false],
    ["1.4.0", "^1.0.0", true],
    ["2.0.0", "^1.0.0", false],
    ["0.0.3", "^0.0.3", true],
    ["0.0.4", "^0.0.3", false],
    ["0.1.2", "~0.1.0", true],
    ["0.2.0", ">=0.1.0", true],
    ["0.1.0", "0.1.0", true],
  ])("%s in %s: %s", (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });
});

describe("manifest checks", () => {
  const exports = { ".": { "moe-router-source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" }, "./package.json": "./package.json" };
  const published = { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" }, "./package.json": "./package.json" };

  it("fails a peer range the workspace version does not satisfy (the ERESOLVE of npm i)", () => {
    const problems = checkManifests([
      pkg("core", { version: "0.0.0" }),
      pkg("layer-keyword", { version: "0.1.0", peerDependencies: { "@moe-router/core": "^0.1.0" }, devDependencies: { "@moe-router/core": "workspace:*" } }),
    ]);
    expect(problems).toEqual([expect.objectContaining({ package: "@moe-router/layer-keyword", rule: "peer-ranges", message: expect.stringContaining("ERESOLVE") })]);
  });

  it("accepts agreeing ranges and workspace: protocols", () => {
    expect(
      checkManifests([
        pkg("core", { version: "0.1.0" }),
        pkg("router", { version: "0.1.0", peerDependencies: { "@moe-router/core": "^0.1.0" }, dependencies: { "@moe-router/layer-keyword": "workspace:^" } }),
      ]),
    ).toEqual([]);
  });

  it("publishConfig.exports must be exports without the source condition", () => {
    expect(publishedExports(exports)).toEqual(published);
    expect(checkManifests([pkg("core", { version: "0.1.0", exports, publishConfig: { exports: published } })])).toEqual([]);
    const drifted = { ...published, "./kit": { types: "./dist/kit/index.d.ts", default: "./dist/kit/index.js" } };
    expect(checkManifests([pkg("core", { version: "0.1.0", exports, publishConfig: { exports: drifted } })])).toEqual([expect.objectContaining({ rule: "publish-exports" })]);
  });

  it("holds for this repository", () => {
    expect(checkManifests()).toEqual([]);
  });
});
