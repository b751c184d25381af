import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { breakingBump, pendingBumps } from "../checks/changesets.js";
import { checkManifests } from "../checks/manifests.js";
import { listPackages } from "../checks/workspace.js";
import { repoRoot } from "../checks/workspace.js";

function miniWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), "moe-changesets-"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "mini", private: true, workspaces: ["packages/*"] }));
  writeFileSync(join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
  cpSync(join(repoRoot, ".changeset/config.json"), join(root, ".changeset/config.json"), { recursive: true });
  const write = (name: string, manifest: object) => {
    mkdirSync(join(root, "packages", name), { recursive: true });
    writeFileSync(join(root, "packages", name, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  };
  write("core", { name: "@moe-router/core", version: "0.1.0" });
  write("layer-keyword", { name: "@moe-router/layer-keyword", version: "0.1.0", peerDependencies: { "@moe-router/core": "^0.1.0" }, devDependencies: { "@moe-router/core": "workspace:*" } });
  write("tracker", { name: "@moe-router/tracker", version: "0.4.0", peerDependencies: { "@moe-router/core": "^0.1.0" }, devDependencies: { "@moe-router/core": "workspace:*" } });
  mkdirSync(join(root, "node_modules/.bin"), { recursive: true });
  symlinkSync(join(repoRoot, "node_modules/@changesets"), join(root, "node_modules/@changesets"));
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: root });
  return root;
}

const version = (root: string, pkg: string) => (JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8")) as { version: string }).version;

describe("releases with changesets", () => {
  it("versions packages independently and does not force a major on peer dependents for an in-range core bump", () => {
    const root = miniWorkspace();
    writeFileSync(join(root, ".changeset/core-fix.md"), '---\n"@moe-router/core": patch\n---\n\nFix.\n');
    writeFileSync(join(root, ".changeset/keyword-feature.md"), '---\n"@moe-router/layer-keyword": minor\n---\n\nFeature.\n');
    execFileSync(process.execPath, [join(repoRoot, "node_modules/@changesets/cli/bin.js"), "version"], { cwd: root, stdio: "pipe" });
    expect(version(root, "core")).toBe("0.1.1");
    expect(version(root, "layer-keyword")).toBe("0.2.0");
    expect(version(root, "tracker")).toBe("0.4.0");
    expect(readFileSync(join(root, "packages/core/CHANGELOG.md"), "utf8")).toContain("Fix.");
  });

  it("reads the strongest pending bump per package", () => {
    const root = miniWorkspace();
    writeFileSync(join(root, ".changeset/a.md"), '---\n"@moe-router/core": patch\n"@moe-router/tracker": minor\n---\n\nA.\n');
    writeFileSync(join(root, ".changeset/b.md"), "---\n'@moe-router/core': major\n---\n\nB.\n");
    expect(Object.fromEntries(pendingBumps(root))).toEqual({ "@moe-router/core": "major", "@moe-router/tracker": "minor" });
  });

  it("pre-1.0: a breaking change needs a minor, from 1.0 on a major", () => {
    expect(breakingBump("0.1.0")).toBe("minor");
    expect(breakingBump("1.2.0")).toBe("major");
  });

  it("a minor on core below 1.0 moves its peer dependents' ranges with it", () => {
    const root = miniWorkspace();
    writeFileSync(join(root, ".changeset/core-break.md"), '---\n"@moe-router/core": minor\n---\n\nBreaking before 1.0.\n');
    execFileSync(process.execPath, [join(repoRoot, "node_modules/@changesets/cli/bin.js"), "version"], { cwd: root, stdio: "pipe" });
    expect(version(root, "core")).toBe("0.2.0");
    const keyword = JSON.parse(readFileSync(join(root, "packages/layer-keyword/package.json"), "utf8")) as { version: string; peerDependencies: Record<string, string> };
    expect(keyword.peerDependencies["@moe-router/core"]).toBe("^0.2.0");
    expect(keyword.version).toBe("1.0.0");
  });

  // Versions a copy of this repository's manifests and pending changesets: the peers must agree afterwards.
  it("`changeset version` of the pending changesets leaves every range between our packages satisfied", { timeout: 120_000 }, () => {
    const root = mkdtempSync(join(tmpdir(), "moe-version-"));
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "copy", private: true, workspaces: ["packages/*"] }));
    writeFileSync(join(root, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
    cpSync(join(repoRoot, ".changeset"), join(root, ".changeset"), { recursive: true });
    for (const pkg of listPackages()) {
      mkdirSync(join(root, "packages", pkg.folder), { recursive: true });
      cpSync(join(pkg.dir, "package.json"), join(root, "packages", pkg.folder, "package.json"));
    }
    mkdirSync(join(root, "node_modules"), { recursive: true });
    symlinkSync(join(repoRoot, "node_modules/@changesets"), join(root, "node_modules/@changesets"));
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: root });
    expect(checkManifests(listPackages(root))).toEqual([]);
    execFileSync(process.execPath, [join(repoRoot, "node_modules/@changesets/cli/bin.js"), "version"], { cwd: root, stdio: "pipe" });
    const after = listPackages(root);
    expect(checkManifests(after)).toEqual([]);
    // Pre-1.0 semantics for a package's own breaking changes: core stays below 1.0 (its peer
    // dependents are released as majors: changesets' rule when a peer range has to move).
    expect(String(after.find((p) => p.folder === "core")!.manifest.version)).toMatch(/^0\./);
    expect(readdirSync(join(root, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md")).toEqual([]);
  });
});
