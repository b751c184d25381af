import { ErrorCode, isMoeRouterError, terminalSafe } from "@moe-router/core";
import { commands } from "./commands/index.js";
import { processIO, type CliIO } from "./io.js";
import { PROGRESS_REDRAW } from "./progress.js";

/** Exit code for a user error (bad input, bad config). */
export const EXIT_USAGE = 2;

async function help(io: CliIO): Promise<number> {
  const lines = ["Usage: moe-router <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(commands)) {
    const command = await load();
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  lines.push("", "Run `moe-router <command> --help` for a command's options.");
  io.stdout(`${lines.join("\n")}\n`);
  return 0;
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

/** Runs the CLI; returns the exit code. Coded errors print `error [CODE]: message` and exit 2. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  io = safeStderr(io);
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") return help(io);
  const load = commands[name];
  if (!load) {
    io.stderr(`error [${ErrorCode.UNKNOWN_COMMAND}]: unknown command "${name}". Commands: ${Object.keys(commands).join(", ")}.\n`);
    return EXIT_USAGE;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`Usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
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
