import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

// Issue 10: `generate --days 1e20` crashed (exit 70), `--days 1e9` wrote year -153263,
// `analyze -w 1e300` gave an internal message, and `--quality ""`, `--minutes " "`,
// `--quality 0x1` were recorded as numbers. Every numeric option of every command is
// range-checked, with a message in the user's terms and MOE_INVALID_ARGUMENT (exit 2).

/** [command argv before the option, long option flag, a value the option accepts]. Values are passed as --flag=value so that negative numbers reach the check. */
const NUMERIC_OPTIONS: ReadonlyArray<readonly [readonly string[], string, string]> = [
  [["outcome", "evt-1", "--completed"], "--minutes", "45"],
  [["outcome", "evt-1", "--completed"], "--quality", "0.9"],
  [["analyze"], "--window", "24"],
  [["analyze"], "--workers", "2"],
  [["dashboard"], "--window", "24"],
  [["dashboard", "--live"], "--interval", "5"],
  [["report", "--html", "r.html"], "--window", "24"],
  [["generate"], "--count", "10"],
  [["generate", "-n", "1"], "--seed", "7"],
  [["generate", "-n", "1"], "--days", "30"],
  [["generate", "-n", "1"], "--outcome-share", "0.5"],
  [["tune"], "--min-samples", "30"],
  [["tune"], "--window", "24"],
  [["tune"], "--target-precision", "0.9"],
  [["tune"], "--confidence", "0.95"],
  [["tune"], "--max-step", "0.05"],
  [["tune", "--experiment", "x"], "--share", "0.1"],
  [["eval", "--data", "missing.jsonl"], "--target-precision", "0.9"],
  [["eval", "--data", "missing.jsonl"], "--val-share", "0.1"],
  [["eval", "--data", "missing.jsonl"], "--seed", "42"],
  [["eval", "--data", "missing.jsonl"], "--fusion-threshold", "0.7"],
  [["eval", "--data", "missing.jsonl"], "--hold-out-intents", "5"],
  [["index", "repo", "--owners", "OWNERS"], "--chunk-lines", "40"],
  [["train", "--data", "missing.jsonl"], "--epochs", "30"],
  [["train", "--data", "missing.jsonl"], "--seed", "1"],
  [["serve", "--host", "not a host"], "--port", "8080"],
  [["serve", "--host", "not a host"], "--body-limit", "65536"],
  [["serve", "--host", "not a host"], "--thresholds-interval", "1000"],
];

const NOT_NUMBERS = ["", " ", "0x1", "NaN", "Infinity", "1,5", "ten", "1e400"];
const OUT_OF_RANGE = ["1e300", "-1e300", "-1"];

describe("bad input: numeric options", () => {
  for (const [prefix, flag, good] of NUMERIC_OPTIONS) {
    it(`${prefix[0]} ${flag} refuses values that are not plain numbers or are out of range`, async () => {
      const cwd = tempCwd();
      for (const value of [...NOT_NUMBERS, ...OUT_OF_RANGE]) {
        const run = await runCli([...prefix, `${flag}=${value}`], cwd);
        expect({ value, code: run.code, stdout: run.stdout }).toEqual({ value, code: 2, stdout: "" });
        expect(run.stderr).toMatch(new RegExp(`^error \\[MOE_INVALID_ARGUMENT\\]: (-[a-z]/)?${flag} must be .*(from|at most|less than) [\\d.]+`));
        expect(run.stderr.endsWith(`; got ${JSON.stringify(value)}.\n`)).toBe(true);
      }
      // The message is about the value, not about anything else: a good value gets past the check.
      const accepted = await runCli([...prefix, `${flag}=${good}`], cwd);
      expect(accepted.stderr).not.toMatch(/MOE_INVALID_ARGUMENT.*must be/);
    });
  }

  it("generate --days 1e20 and 1e9 are refused in days, and --end keeps the sample after 1970", async () => {
    const cwd = tempCwd();
    for (const days of ["1e20", "1e9", "36501"]) {
      const run = await runCli(["generate", "-n", "5", "--days", days], cwd);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error [MOE_INVALID_ARGUMENT]: --days must be a number of days from 0.001 to 36500 (e.g. --days 30); got "${days}".`);
    }
    const early = await runCli(["generate", "-n", "5", "--days", "36500", "--end", "2000-01-01"], cwd);
    expect(early.stderr).toMatch(/MOE_INVALID_ARGUMENT.*starts before 1970-01-01/);
    const late = await runCli(["generate", "-n", "5", "--end", "+275760-01-01"], cwd);
    expect(late.stderr).toMatch(/MOE_INVALID_ARGUMENT.*--end must be a date up to 9999-12-31/);
    expect(existsSync(join(cwd, ".moe-router"))).toBe(false);
  });

  it("analyze -w 1e300 says what the window must be", async () => {
    const run = await runCli(["analyze", "-w", "1e300"], tempCwd());
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: 'error [MOE_INVALID_ARGUMENT]: -w/--window must be a number of hours greater than 0 and at most 1000000 (e.g. -w 24 for the last day); got "1e300".\n',
    });
  });

  it('outcome --quality "", --minutes " " and --quality 0x1 are refused before anything is recorded', async () => {
    const cwd = tempCwd();
    for (const args of [
      ["--quality", ""],
      ["--minutes", " "],
      ["--quality", "0x1"],
    ]) {
      const run = await runCli(["outcome", "evt-1", "--completed", ...args], cwd);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^error \[MOE_INVALID_ARGUMENT\]: --(quality|minutes) must be/);
    }
    expect(existsSync(join(cwd, ".moe-router"))).toBe(false);
  });

  it("accepts plain decimal forms: leading dot, exponent, sign", async () => {
    const cwd = tempCwd();
    const run = await runCli(["generate", "-n", "2", "--days", "1e1", "--outcome-share", ".5", "--seed", "+3"], cwd);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ decisions: 2, days: 10, seed: 3 });
  });

  it("an unknown command is MOE_UNKNOWN_COMMAND, with the name neutralised", async () => {
    const run = await runCli(["ro\x1b]0;x\x07ute"], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error \[MOE_UNKNOWN_COMMAND\]: unknown command "ro\\x1b\]0;x\\x07ute"/);
  });
});
