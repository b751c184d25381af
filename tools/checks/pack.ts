import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { listPackages } from "./workspace.js";

/**
 * Packs packages with `pnpm pack` (which rewrites workspace: ranges and applies
 * publishConfig) into `dest`; returns tarball paths by folder name. Needs a build first.
 */
export function packPackages(folders: readonly string[], dest: string): Record<string, string> {
  mkdirSync(dest, { recursive: true });
  const byFolder = new Map(listPackages().map((p) => [p.folder, p]));
  const out: Record<string, string> = {};
  for (const folder of folders) {
    const pkg = byFolder.get(folder);
    if (!pkg) throw new Error(`no package folder packages/${folder}`);
    const before = new Set(readdirSync(dest));
    execFileSync("pnpm", ["pack", "--pack-destination", dest], { cwd: pkg.dir, stdio: "pipe", env: { ...process.env, npm_config_loglevel: "error" } });
    const created = readdirSync(dest).find((f) => f.endsWith(".tgz") && !before.has(f));
    if (!created) throw new Error(`pnpm pack produced no tarball for ${pkg.name}`);
    out[folder] = join(dest, created);
  }
  return out;
}
