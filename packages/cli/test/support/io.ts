import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIO } from "../../src/io.js";
import { main } from "../../src/main.js";

/** Output captured from one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh temporary working directory. */
export function tempCwd(prefix = "moe-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `moe-router <argv>` in-process with captured output. */
export async function runCli(argv: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
