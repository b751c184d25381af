#!/usr/bin/env tsx
/** `pnpm create-layer <name> [--write]`: scaffolds packages/layer-<name> (dry run unless --write). */
import { parseArgs } from "node:util";
import { repoRoot } from "../../checks/workspace.js";
import { createLayerPackage } from "./generate.js";

const { values, positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { write: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
if (values.help || positionals.length !== 1) {
  console.log("Usage: pnpm create-layer <name> [--write]\n  Scaffolds packages/layer-<name>. Without --write, prints what it would create (dry run).");
  process.exitCode = values.help ? 0 : 2;
} else {
  try {
    const result = createLayerPackage({ name: positionals[0]!, root: repoRoot, write: values.write === true });
    console.log(`${result.written ? "Created" : "Would create (dry run; add --write)"}:\n  ${result.files.join("\n  ")}`);
    if (result.registered.length) console.log(`${result.written ? "Registered in" : "Would register in"}: ${result.registered.join(", ")}`);
    if (result.written) console.log("\nNext: pnpm install, then pnpm vitest run --project " + result.files[0]!.split("/")[1]);
  } catch (error) {
    console.error(`create-layer: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
