import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./workspace.js";

/** Bump kinds, weakest first. */
export const BUMPS = ["patch", "minor", "major"] as const;
/** A semver bump kind. */
export type Bump = (typeof BUMPS)[number];

/** Pending changesets: the strongest bump asked for each package. */
export function pendingBumps(root = repoRoot): Map<string, Bump> {
  const dir = join(root, ".changeset");
  const bumps = new Map<string, Bump>();
  if (!existsSync(dir)) return bumps;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(".md") || file === "README.md") continue;
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), "utf8"));
    if (!front) continue;
    for (const line of front[1]!.split("\n")) {
      const match = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
      if (!match) continue;
      const [, name, bump] = match as unknown as [string, string, Bump];
      const seen = bumps.get(name);
      if (!seen || BUMPS.indexOf(bump) > BUMPS.indexOf(seen)) bumps.set(name, bump);
    }
  }
  return bumps;
}

/**
 * The bump a breaking change needs: "major" from 1.0.0 on; below 1.0 the minor is the
 * breaking part (npm's caret: ^0.2.0 does not take 0.3.0), so "minor" (pre-1.0 semantics: a
 * package's own breaking change does not make it 1.0.0; changesets still releases the peer
 * dependents whose range must move as majors).
 */
export function breakingBump(version: string): Bump {
  return Number(version.split(".")[0]) >= 1 ? "major" : "minor";
}
