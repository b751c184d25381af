/**
 * Manifest checks (CI, `tools/checks/run.ts`):
 * - every range one of our packages puts on another (`dependencies`, `peerDependencies`) is
 *   satisfied by that package's version in the workspace, so the packed tarballs install with
 *   plain `npm i` (no ERESOLVE, no --legacy-peer-deps);
 * - `publishConfig.exports` is `exports` without the `moe-router-source` condition (the only
 *   difference allowed between the two maps), so the published map cannot drift.
 */
import { isDeepStrictEqual } from "node:util";
import { listPackages, repoRoot, type WorkspacePackage } from "./workspace.js";

/** The export condition that points workspace tools at `src/`; never published. */
export const SOURCE_CONDITION = "moe-router-source";

/** One manifest problem. */
export interface ManifestProblem {
  readonly package: string;
  readonly rule: "peer-ranges" | "publish-exports";
  readonly message: string;
}

function parse(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Whether `version` satisfies `range` for the forms our manifests use: `^x.y.z` (npm's caret:
 * below 1.0 the minor is the breaking part), `~x.y.z`, `x.y.z`, `>=x.y.z`. Undefined for a form
 * it does not read.
 */
export function satisfies(version: string, range: string): boolean | undefined {
  const v = parse(version);
  if (!v) return undefined;
  const trimmed = range.trim();
  const operator = /^(\^|~|>=)?/.exec(trimmed)![1] ?? "";
  const base = parse(trimmed.slice(operator.length));
  if (!base) return undefined;
  if (operator === "") return compare(v, base) === 0;
  if (operator === ">=") return compare(v, base) >= 0;
  if (compare(v, base) < 0) return false;
  if (operator === "~") return v[0] === base[0] && v[1] === base[1];
  if (base[0] > 0) return v[0] === base[0];
  if (base[1] > 0) return v[0] === 0 && v[1] === base[1];
  return v[0] === 0 && v[1] === 0 && v[2] === base[2];
}

/** Drops the source condition from an exports map, recursively. */
export function publishedExports(exports: unknown): unknown {
  if (exports === null || typeof exports !== "object" || Array.isArray(exports)) return exports;
  return Object.fromEntries(
    Object.entries(exports as Record<string, unknown>)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, value]) => [key, publishedExports(value)]),
  );
}

/** Checks ranges between our packages and the published exports maps. */
export function checkManifests(packages: readonly WorkspacePackage[] = listPackages(repoRoot)): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const versions = new Map(packages.map((p) => [p.name, String((p.manifest as { version?: unknown }).version)]));
  for (const pkg of packages) {
    for (const field of ["dependencies", "peerDependencies"] as const) {
      for (const [name, range] of Object.entries(pkg.manifest[field] ?? {})) {
        const version = versions.get(name);
        if (version === undefined || range.startsWith("workspace:")) continue;
        const ok = satisfies(version, range);
        if (ok === undefined)
          problems.push({
            package: pkg.name,
            rule: "peer-ranges",
            message: `${field}["${name}"] is "${range}": use a caret range such as "^${version}" (the check reads ^, ~, >= and exact versions).`,
          });
        else if (!ok)
          problems.push({
            package: pkg.name,
            rule: "peer-ranges",
            message: `${field}["${name}"] is "${range}" but the workspace has ${name}@${version}: npm i of the packed packages fails with ERESOLVE. Set the range to "^${version}" (or version ${name} into it).`,
          });
      }
    }
    const manifest = pkg.manifest as { exports?: unknown; publishConfig?: { exports?: unknown } };
    if (manifest.exports !== undefined) {
      const expected = publishedExports(manifest.exports);
      if (!isDeepStrictEqual(manifest.publishConfig?.exports, expected)) {
        problems.push({ package: pkg.name, rule: "publish-exports", message: `publishConfig.exports must be "exports" without the "${SOURCE_CONDITION}" condition: ${JSON.stringify(expected)}.` });
      }
    }
  }
  return problems;
}
