#!/usr/bin/env tsx
/**
 * Workspace checks run by CI (`tsx tools/checks/run.ts --ci`):
 * dependency rules, API reports up to date, API changes carry a changeset of the right
 * size, changeset status, and publint + attw on every packed package.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { updateReports } from "../api-report/bin.js";
import { diffReports, readCheckedIn } from "../api-report/report.js";
import { BUMPS, breakingBump, pendingBumps } from "./changesets.js";
import { checkDependencyRules } from "./dependency-rules.js";
import { checkManifests } from "./manifests.js";
import { packPackages } from "./pack.js";
import { listPackages, repoRoot } from "./workspace.js";

const problems: string[] = [];
const note = (text: string) => console.log(`  ${text}`);

function baseRef(): string | undefined {
  const candidates = [process.env.MOE_BASE_REF, "origin/main"].filter(Boolean) as string[];
  for (const ref of candidates) {
    const ok = spawnSync("git", ["rev-parse", "--verify", "--quiet", ref], { cwd: repoRoot }).status === 0;
    if (ok) return ref;
  }
  return undefined;
}

function showAtRef(ref: string, path: string): string {
  const result = spawnSync("git", ["show", `${ref}:${path}`], { cwd: repoRoot, encoding: "utf8" });
  return result.status === 0 ? result.stdout : "";
}

console.log("dependency rules");
for (const v of checkDependencyRules()) problems.push(`${v.file}:${v.line} [${v.rule}] ${v.message}`);

console.log("manifests (ranges between our packages, published exports maps)");
for (const p of checkManifests()) problems.push(`${p.package} [${p.rule}] ${p.message}`);

console.log("API reports");
const stale = updateReports({ check: true });
if (stale.length) problems.push(`API reports out of date for ${stale.join(", ")}: run \`pnpm api-report\` and commit the result with a changeset.`);

const base = baseRef();
if (base) {
  console.log(`API changes since ${base} need changesets`);
  const bumps = pendingBumps();
  for (const pkg of listPackages()) {
    const before = showAtRef(base, `packages/${pkg.folder}/api-report.md`);
    const after = readCheckedIn(pkg);
    if (!before || before === after) continue;
    const diff = diffReports(before, after);
    const breaking = diff.removed.length + diff.changed.length > 0;
    const bump = bumps.get(pkg.name);
    if (!bump)
      problems.push(`${pkg.name}: its API changed (${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed) but no changeset names it: run \`pnpm changeset\`.`);
    else if (breaking && BUMPS.indexOf(bump) < BUMPS.indexOf(breakingBump(String(pkg.manifest.version)))) {
      problems.push(
        `${pkg.name}: exports were removed or changed incompatibly (${[...diff.removed, ...diff.changed].join(", ")}); the changeset asks for "${bump}" but this needs "${breakingBump(String(pkg.manifest.version))}".`,
      );
    } else note(`${pkg.name}: API changed, changeset bump ${bump}`);
  }
  const status = spawnSync("pnpm", ["changeset", "status", `--since=${base}`], { cwd: repoRoot, encoding: "utf8" });
  if (status.status !== 0) problems.push(`changeset status --since=${base} failed: a changed package has no changeset.\n${status.stdout}${status.stderr}`);
} else {
  note("no base ref (set MOE_BASE_REF or fetch origin/main): API-change and changeset-status checks skipped");
}

console.log("publint and attw on packed packages");
const dest = mkdtempSync(join(tmpdir(), "moe-pack-"));
const tarballs = packPackages(
  listPackages().map((p) => p.folder),
  dest,
);
for (const pkg of listPackages()) {
  const lint = spawnSync("pnpm", ["exec", "publint", "run", pkg.dir, "--strict"], { cwd: repoRoot, encoding: "utf8" });
  if (lint.status !== 0 || /warn|error/i.test(lint.stdout.replace(/Running publint.*\n/, ""))) problems.push(`publint ${pkg.name}:\n${lint.stdout}${lint.stderr}`);
  const attw = spawnSync("pnpm", ["exec", "attw", tarballs[pkg.folder]!, "--profile", "esm-only", "--format", "ascii"], { cwd: repoRoot, encoding: "utf8" });
  if (attw.status !== 0) problems.push(`attw ${pkg.name}:\n${attw.stdout}${attw.stderr}`);
}

if (problems.length) {
  console.error(`\n${problems.length} workspace check(s) failed:\n- ${problems.join("\n- ")}`);
  process.exitCode = 1;
} else {
  console.log("\nworkspace checks passed");
}
