import { readFileSync } from "node:fs";
import { ErrorCode, isMoeRouterError, terminalSafe } from "@moe-router/core";
import { bashCompletion, COMPLETION_SHELLS, zshCompletion } from "./completion.js";
import { helpOf, overviewOf } from "./declare.js";
import { DECLARATIONS, type CommandName } from "./commands/declarations.js";
import { commands } from "./commands/index.js";
import { processIO, type CliIO } from "./io.js";
import { PROGRESS_REDRAW } from "./progress.js";

/** Exit code for a user error (bad input, bad config). */
export const EXIT_USAGE = 2;

/** This package's version (from its package.json, beside dist/ and src/). */
export function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

/**
 * The IO with stderr neutralised: warnings and error messages quote names, paths and data
 * (an event id, an expert, a store error), so every control character but line feeds and tabs
 * is shown as a visible escape. The progress bar's own redraw prefix is the one escape kept.
 */
function safeStderr(io: CliIO): CliIO {
  const write = (text: string) => {
    if (text.startsWith(PROGRESS_REDRAW)) io.stderr(PROGRESS_REDRAW + terminalSafe(text.slice(PROGRESS_REDRAW.length), { keepNewlines: true }));
    else io.stderr(terminalSafe(text, { keepNewlines: true }));
  };
  return { stdout: io.stdout, stderr: write, cwd: io.cwd, env: io.env, isTTY: io.isTTY };
}

function completion(shell: string | undefined, io: CliIO): number {
  const declared = Object.values(DECLARATIONS);
  if (shell === "bash") io.stdout(bashCompletion(declared));
  else if (shell === "zsh") io.stdout(zshCompletion(declared));
  else {
    io.stderr(`error [${ErrorCode.INVALID_ARGUMENT}]: completion needs a shell: ${COMPLETION_SHELLS.join(" or ")} (e.g. eval "$(moe-router completion bash)"); got ${JSON.stringify(shell ?? "")}.\n`);
    return EXIT_USAGE;
  }
  return 0;
}

/**
 * Runs the CLI; returns the exit code. Coded errors print `error [CODE]: message` and exit 2.
 * `--help`, `--version` and `completion` come from the command declarations and load no command.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  io = safeStderr(io);
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(overviewOf(Object.values(DECLARATIONS), cliVersion()));
    return 0;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${cliVersion()}\n`);
    return 0;
  }
  if (name === "completion") return completion(rest[0], io);
  const load = Object.hasOwn(commands, name) ? commands[name as CommandName] : undefined;
  if (!load) {
    io.stderr(`error [${ErrorCode.UNKNOWN_COMMAND}]: unknown command "${name}". Commands: ${[...Object.keys(commands), "completion"].join(", ")}.\n`);
    return EXIT_USAGE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(helpOf(DECLARATIONS[name as CommandName]));
    return 0;
  }
  const command = await load();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (isMoeRouterError(error)) {
      io.stderr(`error [${error.code}]: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
