import { terminalSafe, terminalSafeJson, toJsonSafe } from "@moe-router/core";
import type { CliIO } from "./io.js";

/**
 * Prints a value as one JSON document on stdout. Never throws on what JSON cannot hold (layer
 * details with a BigInt, a cycle, a throwing getter: see core's toJsonSafe), and
 * escapes the characters JSON leaves raw that a terminal would act on (C1 controls, bidi
 * overrides), so data from a layer or a log cannot drive the terminal.
 */
export function printJson(io: CliIO, value: unknown, pretty = false): void {
  const space = pretty ? 2 : undefined;
  let text: string;
  try {
    text = JSON.stringify(value, null, space);
  } catch {
    text = JSON.stringify(toJsonSafe(value), null, space) ?? "null";
  }
  io.stdout(`${terminalSafeJson(text)}\n`);
}

/**
 * Prints plain text (no escapes of our own) on stdout with every control character but line
 * feeds and tabs shown as a visible escape: for messages that quote paths, names or data.
 */
export function printText(io: CliIO, text: string): void {
  io.stdout(terminalSafe(text, { keepNewlines: true }));
}
