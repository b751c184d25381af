import { parseArgs } from "node:util";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { NumberRange } from "./args.js";

/** One option of a command, declared once: parsing, `--help` and shell completion come from it. */
export interface OptionDeclaration {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** The option may be given more than once (values collected in order). */
  readonly multiple?: boolean;
  /** What the value is, in help: `HOURS`, `FILE`, `SPEC`. */
  readonly value?: string;
  /** What the option does, for `--help`. */
  readonly description: string;
  /** The default, as a person reads it (the command applies it). */
  readonly default?: string;
  /** The accepted values, for help and completion (the command checks them). */
  readonly choices?: readonly string[];
  /** The accepted range of a numeric option (the command checks it with numberOption). */
  readonly range?: NumberRange;
  /** Completion completes a file name. */
  readonly file?: boolean;
}

/** A positional argument, for help and usage. */
export interface PositionalDeclaration {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

/** A command, declared once. */
export interface CommandDeclaration {
  readonly name: string;
  /** One line, for the command list. */
  readonly summary: string;
  readonly positionals?: readonly PositionalDeclaration[];
  readonly options: Readonly<Record<string, OptionDeclaration>>;
  /** Command lines that work, for `--help`. */
  readonly examples: readonly string[];
}

/** The parsed values of a declaration's options. */
export type DeclaredValues<O extends Readonly<Record<string, OptionDeclaration>>> = {
  [K in keyof O]?: O[K] extends { readonly type: "boolean" } ? boolean : O[K] extends { readonly multiple: true } ? string[] : string;
};

/** The width text for a person is wrapped to. */
export const HELP_WIDTH = 80;

function flagOf(name: string, option: OptionDeclaration): string {
  const long = `--${name}${option.type === "string" ? ` ${option.value ?? "VALUE"}` : ""}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

/** `moe-router route <task> [options]`: the one-line usage. */
export function usageOf(command: CommandDeclaration): string {
  const positionals = (command.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`));
  return ["moe-router", command.name, ...positionals, ...(Object.keys(command.options).length ? ["[options]"] : [])].join(" ");
}

/**
 * Parses argv by the declaration (node:util parseArgs, strict); an unknown option or a missing
 * value is MOE_UNKNOWN_OPTION with the usage. Values are checked by the command (ranges with
 * numberOption, choices with its own message), so the codes and messages stay as they were.
 */
export function parseDeclared<C extends CommandDeclaration>(command: C, argv: readonly string[]): { values: DeclaredValues<C["options"]>; positionals: string[] } {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, option] of Object.entries(command.options)) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: (command.positionals ?? []).length > 0, strict: true });
  } catch (error) {
    throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `${(error as Error).message}\nUsage: ${usageOf(command)} (see moe-router ${command.name} --help)`, { cause: error });
  }
  return parsed as { values: DeclaredValues<C["options"]>; positionals: string[] };
}

/** Wraps `text` to `width` columns, every line after the first indented by `indent`. */
export function wrap(text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const room = width - (lines.length === 0 ? 0 : indent);
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : " ".repeat(indent) + l));
}

function rangeText(range: NumberRange): string {
  const low = range.aboveMin ? `> ${range.min}` : `>= ${range.min}`;
  const high = range.belowMax ? `< ${range.max}` : `<= ${range.max}`;
  return `${range.integer ? "whole number " : ""}${low} and ${high}`;
}

/** What an option means, with its choices, range and default, for help. */
function optionText(option: OptionDeclaration): string {
  const parts = [option.description];
  if (option.choices) parts.push(`One of: ${option.choices.join(", ")}.`);
  if (option.range) parts.push(`Range: ${rangeText(option.range)}.`);
  if (option.multiple) parts.push("May be repeated.");
  if (option.default !== undefined) parts.push(`Default: ${option.default}.`);
  return parts.join(" ");
}

/** A command's `--help`: usage, summary, arguments, every option with its meaning and default, examples; within {@link HELP_WIDTH} columns. */
export function helpOf(command: CommandDeclaration, width = HELP_WIDTH): string {
  const out: string[] = [...wrap(`Usage: ${usageOf(command)}`, width, 7), "", ...wrap(command.summary, width, 0)];
  const column = 26;
  const entry = (left: string, text: string) => {
    const body = wrap(text, width - column, 0);
    if (left.length + 2 > column) {
      out.push(left);
      for (const line of body) out.push(" ".repeat(column) + line);
    } else {
      body.forEach((line, i) => out.push(i === 0 ? left.padEnd(column) + line : " ".repeat(column) + line));
    }
  };
  if (command.positionals?.length) {
    out.push("", "Arguments:");
    for (const p of command.positionals) entry(`  ${p.name}`, `${p.description}${p.required ? "" : " (optional)"}`);
  }
  out.push("", "Options:");
  for (const [name, option] of Object.entries(command.options)) entry(`  ${flagOf(name, option)}`, optionText(option));
  entry("  -h, --help", "Show this help.");
  if (command.examples.length) {
    out.push("", "Examples:");
    for (const example of command.examples) out.push(...wrap(`  ${example}`, width, 4));
  }
  return `${out.join("\n")}\n`;
}

/** The command list of `moe-router --help`. */
export function overviewOf(commands: readonly CommandDeclaration[], version: string, width = HELP_WIDTH): string {
  const out = [`moe-router ${version}: route tasks to expert agents through a cascade of layers.`, "", "Usage: moe-router <command> [options]", "", "Commands:"];
  const column = 14;
  for (const command of commands) {
    wrap(command.summary, width - column, 0).forEach((line, i) => out.push(i === 0 ? `  ${command.name.padEnd(column - 2)}${line}` : " ".repeat(column) + line));
  }
  out.push(`  ${"completion".padEnd(column - 2)}Print a shell completion script: completion bash|zsh.`);
  out.push("", "Run `moe-router <command> --help` for a command's options,", "`moe-router --version` for the version.");
  return `${out.map((line) => (line.length > width ? wrap(line, width, 2).join("\n") : line)).join("\n")}\n`;
}
