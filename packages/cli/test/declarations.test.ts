import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DECLARATIONS } from "../src/commands/declarations.js";
import { commands } from "../src/commands/index.js";
import { bashCompletion, zshCompletion } from "../src/completion.js";
import { HELP_WIDTH, helpOf, parseDeclared } from "../src/declare.js";
import { runCli, tempCwd } from "./support/io.js";

const declared = Object.values(DECLARATIONS);
const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

describe("commands declared once", () => {
  it("declares every command the CLI runs, under its own name", () => {
    expect(Object.keys(DECLARATIONS).sort()).toEqual(Object.keys(commands).sort());
    for (const [key, declaration] of Object.entries(DECLARATIONS)) expect(declaration.name).toBe(key);
  });

  it("gives every option a meaning, and every command an example", () => {
    for (const declaration of declared) {
      expect(declaration.examples.length, declaration.name).toBeGreaterThan(0);
      for (const [name, option] of Object.entries(declaration.options)) expect(option.description.length, `${declaration.name} --${name}`).toBeGreaterThan(10);
    }
  });

  it.each(declared.map((d) => [d.name, d] as const))("%s --help lists every option with its meaning and default, within 80 columns", async (name, declaration) => {
    const run = await runCli([name, "--help"], tempCwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(helpOf(declaration));
    expect(widest(run.stdout)).toBeLessThanOrEqual(HELP_WIDTH);
    for (const [option, spec] of Object.entries(declaration.options)) {
      expect(run.stdout).toContain(`--${option}`);
      if ("default" in spec && spec.default !== undefined) expect(run.stdout.replace(/\s+/g, " ")).toContain(`Default: ${spec.default}.`);
    }
  });

  it("moe-router --help lists the commands within 80 columns; --version prints the package's version", async () => {
    const cwd = tempCwd();
    const help = await runCli(["--help"], cwd);
    expect(help.code).toBe(0);
    expect(widest(help.stdout)).toBeLessThanOrEqual(HELP_WIDTH);
    for (const declaration of declared) expect(help.stdout).toContain(`  ${declaration.name} `);
    const version = await runCli(["--version"], cwd);
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(version).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
  });

  it("parses by the declaration: short flags, repeated options; an undeclared option is MOE_UNKNOWN_OPTION", () => {
    const { values } = parseDeclared(DECLARATIONS.index, ["docs", "-o", "owners", "--include", "*.md", "--include", "*.txt", "--json"]);
    expect(values).toEqual({ owners: "owners", include: ["*.md", "*.txt"], json: true });
    expect(() => parseDeclared(DECLARATIONS.tune, ["--no-such-flag"])).toThrow(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));
    expect(() => parseDeclared(DECLARATIONS.tune, ["stray"])).toThrow(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));
  });
});

describe("moe-router completion", () => {
  it("writes a bash script that bash accepts, completing commands, flags and choices", async () => {
    const run = await runCli(["completion", "bash"], tempCwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(bashCompletion(declared));
    const file = join(mkdtempSync(join(tmpdir(), "moe-completion-")), "moe-router.bash");
    writeFileSync(file, run.stdout);
    expect(spawnSync("bash", ["-n", file], { encoding: "utf8" }).status).toBe(0);
    // Complete `moe-router tune --b` and `moe-router train --kind ` in a real bash.
    const complete = (words: string[]) => {
      const script = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _moe_router; echo "\${COMPREPLY[*]}"`;
      return spawnSync("bash", ["-c", script], { encoding: "utf8" }).stdout.trim();
    };
    expect(complete(["moe-router", "tu"])).toBe("tune");
    expect(complete(["moe-router", "tune", "--b"])).toBe("--bound");
    expect(complete(["moe-router", "train", "--kind", ""])).toBe("softmax mlp");
  });

  it("writes a zsh script with each command's options and their meaning", async () => {
    const run = await runCli(["completion", "zsh"], tempCwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(zshCompletion(declared));
    expect(run.stdout).toMatch(/^#compdef moe-router/);
    expect(run.stdout).toContain("{-d,--dry-run}'[Print the proposal; write nothing.]'");
    expect(run.stdout).toContain("'--kind[The neural head.]:kind:(softmax mlp)'");
  });

  it("refuses a shell it does not know (MOE_INVALID_ARGUMENT, exit 2)", async () => {
    const run = await runCli(["completion", "fish"], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error \[MOE_INVALID_ARGUMENT\]: completion needs a shell: bash or zsh/);
  });
});
