import type { RouterLogger } from "@moe-router/router";

/** Where a command writes; injectable so tests can capture output. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Working directory for relative paths. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stdout is a terminal (progress bars, colours, in-place refresh). */
  readonly isTTY: boolean;
}

/** The process's own IO. */
export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** A CLI command: parses its own arguments, returns the exit code. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** The CLI's stderr as the router's logger: each line as given, `info` only with --verbose. */
export function cliLogger(io: CliIO, verbose = false): RouterLogger {
  return { warn: (line) => io.stderr(`${line}\n`), ...(verbose ? { info: (line: string) => io.stderr(`${line}\n`) } : {}) };
}
