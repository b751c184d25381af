import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { layerSources } from "./sources.js";
import { changeset, layerNames, packageJson, readme, tsconfig, tsconfigTest, vitestConfig } from "./templates.js";

/** Options of {@link createLayerPackage}. */
export interface CreateLayerOptions {
  /** Kebab-case layer name: "sentiment" -> packages/layer-sentiment. */
  readonly name: string;
  /** Repository root. */
  readonly root: string;
  /** Write files; false (the default) only reports what would be written. */
  readonly write?: boolean;
}

/** What the generator did (or would do). */
export interface CreateLayerResult {
  readonly packageDir: string;
  /** Paths relative to the root, created or (dry run) to be created. */
  readonly files: string[];
  /** Files outside the package that were (or would be) updated to register it. */
  readonly registered: string[];
  readonly written: boolean;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Scaffolds packages/layer-<name>: package.json with a peer range on core, a layer skeleton
 * that passes the conformance kit, tests, README, tsconfig and vitest project, a changeset,
 * and registers it in tsconfig.build.json. Dry run unless `write` is true.
 */
export function createLayerPackage(options: CreateLayerOptions): CreateLayerResult {
  if (!NAME.test(options.name)) {
    throw new Error(`Layer name "${options.name}" must be kebab-case letters and digits (e.g. "sentiment" or "code-owners").`);
  }
  const names = layerNames(options.name.replace(/^layer-/, ""));
  const packageDir = join(options.root, "packages", names.folder);
  if (existsSync(packageDir)) throw new Error(`packages/${names.folder} already exists; pick another name or delete it first.`);
  const corePackage = JSON.parse(readFileSync(join(options.root, "packages/core/package.json"), "utf8")) as { version: string };

  const files: Record<string, string> = {
    [`packages/${names.folder}/package.json`]: packageJson(names, corePackage.version),
    [`packages/${names.folder}/tsconfig.json`]: tsconfig(),
    [`packages/${names.folder}/tsconfig.test.json`]: tsconfigTest(),
    [`packages/${names.folder}/vitest.config.ts`]: vitestConfig(names),
    [`packages/${names.folder}/README.md`]: readme(names),
    [`.changeset/${names.folder}-initial.md`]: changeset(names),
  };
  for (const [path, text] of Object.entries(layerSources(names))) files[`packages/${names.folder}/${path}`] = text;

  const buildConfigPath = join(options.root, "tsconfig.build.json");
  const registered: string[] = [];
  let buildConfig: { references?: Array<{ path: string }> } | undefined;
  if (existsSync(buildConfigPath)) {
    buildConfig = JSON.parse(readFileSync(buildConfigPath, "utf8")) as { references?: Array<{ path: string }> };
    const references = buildConfig.references ?? [];
    if (!references.some((r) => r.path === `packages/${names.folder}`)) {
      buildConfig.references = [...references, { path: `packages/${names.folder}` }];
      registered.push("tsconfig.build.json");
    }
  }

  if (options.write) {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(options.root, path)), { recursive: true });
      writeFileSync(join(options.root, path), text);
    }
    if (buildConfig && registered.length) writeFileSync(buildConfigPath, `${JSON.stringify(buildConfig, null, 2)}\n`);
  }
  return { packageDir, files: Object.keys(files).sort(), registered, written: options.write === true };
}
