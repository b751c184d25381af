#!/usr/bin/env tsx
/**
 * `pnpm api-report`: writes each package's public API to packages/<pkg>/api-report.md.
 * `pnpm api-report --check`: fails when a checked-in report is out of date.
 */
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { Project } from "ts-morph";
import { listPackages, repoRoot } from "../checks/workspace.js";
import { collectApi, readCheckedIn, renderReport, reportPath } from "./report.js";

/** Regenerates reports; returns the packages whose report changed. */
export function updateReports(options: { check: boolean; root?: string }): string[] {
  const project = new Project({ tsConfigFilePath: `${options.root ?? repoRoot}/tsconfig.base.json`, skipAddingFilesFromTsConfig: true });
  const stale: string[] = [];
  for (const pkg of listPackages(options.root)) {
    const next = renderReport(pkg, collectApi(pkg, project));
    if (next === readCheckedIn(pkg)) continue;
    stale.push(pkg.name);
    if (!options.check) writeFileSync(reportPath(pkg), next);
  }
  return stale;
}

if (process.argv[1] && relative(process.argv[1], new URL(import.meta.url).pathname) === "") {
  const check = process.argv.includes("--check");
  const stale = updateReports({ check });
  if (check && stale.length) {
    console.error(`API reports out of date for: ${stale.join(", ")}.\nRun \`pnpm api-report\`, review the diff, commit it with a changeset.`);
    process.exitCode = 1;
  } else {
    console.log(stale.length ? `${check ? "stale" : "updated"}: ${stale.join(", ")}` : "API reports up to date");
  }
}
