#!/usr/bin/env node
// Runs every benchmark script (packages/*/bench/*.bench.ts and tools/bench/*.bench.ts) with tsx.
// `pnpm bench` runs all; `pnpm bench keyword tracker` runs the files whose path contains a word.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const filters = process.argv.slice(2);
const files = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg, "bench");
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).sort()) if (file.endsWith(".bench.ts")) files.push(join(dir, file));
}
for (const file of readdirSync(join(root, "tools/bench")).sort()) if (file.endsWith(".bench.ts")) files.push(join(root, "tools/bench", file));
const selected = files.filter((f) => filters.length === 0 || filters.some((w) => relative(root, f).includes(w)));
let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${relative(root, file)}`);
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "--conditions=moe-router-source", file], { stdio: "inherit", cwd: root });
  if (result.status !== 0) failed++;
}
console.log(`\n${selected.length - failed} benchmark files ran, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
