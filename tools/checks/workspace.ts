import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (tools/ lives directly under it). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A published workspace package. */
export interface WorkspacePackage {
  /** Folder name under packages/, e.g. "layer-keyword". */
  readonly folder: string;
  readonly dir: string;
  readonly name: string;
  readonly manifest: Record<string, unknown> & {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
}

/** Lists packages/* with a package.json. */
export function listPackages(root = repoRoot): WorkspacePackage[] {
  const base = join(root, "packages");
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((folder) => existsSync(join(base, folder, "package.json")))
    .sort()
    .map((folder) => {
      const dir = join(base, folder);
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as WorkspacePackage["manifest"];
      return { folder, dir, name: String(manifest.name), manifest };
    });
}

/** All .ts files below a directory (skipping node_modules and dist). */
export function listTsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTsFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}
