import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateSampleRecords } from "@moe-router/tracker";
import { runCli, tempCwd } from "./support/io.js";

describe("moe-router analyze with the analysis cache", () => {
  it("gives the same report as --no-cache, and --no-cache leaves no cache behind", async () => {
    const cwd = tempCwd("moe-cli-analysis-cache-");
    mkdirSync(join(cwd, ".moe-router"));
    const lines = [...generateSampleRecords({ count: 500, seed: 8, days: 2, end: new Date() })].map((r) => JSON.stringify(r));
    writeFileSync(join(cwd, ".moe-router/events.jsonl"), `${lines.join("\n")}\n`);
    const cacheDir = join(cwd, ".moe-router/.analysis-cache");
    for (const args of [["--json"], ["-w", "1000", "-l", "semantic", "--json"]]) {
      const plain = await runCli(["analyze", "--no-cache", ...args], cwd);
      expect(plain.code).toBe(0);
      if (args.length === 1) expect(existsSync(cacheDir)).toBe(false);
      const cold = await runCli(["analyze", ...args], cwd);
      const warm = await runCli(["analyze", ...args], cwd);
      expect(existsSync(cacheDir)).toBe(true);
      const strip = (stdout: string) => ({ ...JSON.parse(stdout), generatedAt: 0, window: 0 });
      expect(strip(cold.stdout)).toEqual(strip(plain.stdout));
      expect(strip(warm.stdout)).toEqual(strip(plain.stdout));
    }
    expect((await runCli(["dashboard", "--no-cache"], cwd)).code).toBe(0);
    expect((await runCli(["report", "--html", "r.html", "--no-cache"], cwd)).code).toBe(0);
  });
});
