/** Only `moe-router serve` loads the HTTP stack: other commands start without fastify. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(root, "packages/cli/src/bin.ts");
const tsx = pathToFileURL(createRequire(join(root, "package.json")).resolve("tsx")).href;

/** Runs the CLI with a preload that reports, at exit, whether fastify's code was loaded. */
function run(args: string[]): { code: number | null; stderr: string; fastifyLoaded: boolean } {
  const dir = mkdtempSync(join(tmpdir(), "moe-cli-lazy-"));
  const probe = join(dir, "probe.cjs");
  writeFileSync(probe, 'process.on("exit", () => { if (Object.keys(require.cache).some((p) => p.includes("/fastify/"))) process.stderr.write("PROBE: fastify loaded\\n"); });\n');
  const result = spawnSync(process.execPath, ["--require", probe, "--import", tsx, "--conditions=moe-router-source", bin, ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  return { code: result.status, stderr: result.stderr, fastifyLoaded: result.stderr.includes("PROBE: fastify loaded") };
}

describe("the server is loaded lazily", () => {
  it("route does not load fastify; serve does", () => {
    const routed = run(["route", "Deploy API to production", "--no-track"]);
    expect(routed.code, routed.stderr).toBe(0);
    expect(routed.fastifyLoaded).toBe(false);
    // serve imports the server before it checks the bind; refused here, so it exits at once.
    const served = run(["serve", "--host", "0.0.0.0", "--port", "0"]);
    expect(served.code).toBe(2);
    expect(served.fastifyLoaded).toBe(true);
  }, 60_000);
});
