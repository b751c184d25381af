import type { CommandDeclaration, OptionDeclaration } from "./declare.js";

/** Shells `moe-router completion` writes a script for. */
export const COMPLETION_SHELLS = ["bash", "zsh"] as const;

function flags(command: CommandDeclaration): string[] {
  return [...Object.entries(command.options).flatMap(([name, option]) => [`--${name}`, ...(option.short ? [`-${option.short}`] : [])]), "--help"];
}

/** Shell-quotes a word for a single-quoted context. */
function quote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

function valueWords(option: OptionDeclaration): string | undefined {
  return option.choices ? option.choices.join(" ") : undefined;
}

/**
 * A bash completion script for the declared commands (`eval "$(moe-router completion bash)"`):
 * commands, each command's flags, the choices of an option that has them, file names for file
 * options.
 */
export function bashCompletion(commands: readonly CommandDeclaration[]): string {
  const names = [...commands.map((c) => c.name), "completion"].join(" ");
  const cases = commands.map((command) => {
    const values = Object.entries(command.options)
      .filter(([, option]) => option.type === "string")
      .map(([name, option]) => {
        const patterns = [`--${name}`, ...(option.short ? [`-${option.short}`] : [])].join("|");
        const words = valueWords(option);
        const action = words ? `COMPREPLY=( $(compgen -W ${quote(words)} -- "$cur") )` : option.file ? `COMPREPLY=( $(compgen -f -- "$cur") )` : "COMPREPLY=()";
        return `        ${patterns}) ${action}; return 0 ;;`;
      });
    return [`    ${command.name})`, '      case "$prev" in', ...values, "      esac", `      COMPREPLY=( $(compgen -W ${quote(flags(command).join(" "))} -- "$cur") )`, "      ;;"].join("\n");
  });
  return [
    '# moe-router bash completion: eval "$(moe-router completion bash)"',
    "_moe_router() {",
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=( $(compgen -W ${quote(`${names} --help --version`)} -- "$cur") )`,
    "    return 0",
    "  fi",
    '  case "${COMP_WORDS[1]}" in',
    ...cases,
    "    completion) COMPREPLY=( $(compgen -W 'bash zsh' -- \"$cur\") ) ;;",
    "  esac",
    "}",
    "complete -F _moe_router moe-router",
    "",
  ].join("\n");
}

function zshEscape(text: string): string {
  return text.replace(/[[\]:'\\]/g, (c) => `\\${c}`).replace(/\s+/g, " ");
}

/** A zsh completion script (`source <(moe-router completion zsh)`), with each option's description. */
export function zshCompletion(commands: readonly CommandDeclaration[]): string {
  const commandList = [...commands.map((c) => `'${c.name}:${zshEscape(c.summary)}'`), "'completion:print a shell completion script'"].join(" ");
  const cases = commands.map((command) => {
    const specs = Object.entries(command.options).map(([name, option]) => {
      const description = zshEscape(option.description.split(". ")[0]!.slice(0, 70));
      const value = option.type === "string" ? `:${(option.value ?? "value").toLowerCase()}:${option.choices ? `(${option.choices.join(" ")})` : option.file ? "_files" : " "}` : "";
      const spec = `'--${name}[${description}]${value}'`;
      return option.short ? `'(-${option.short} --${name})'{-${option.short},--${name}}'[${description}]${value}'` : spec;
    });
    return `    ${command.name}) _arguments ${[...specs, "'--help[show help]'", "'*:file:_files'"].join(" ")} ;;`;
  });
  return [
    "#compdef moe-router",
    "# moe-router zsh completion: source <(moe-router completion zsh)",
    "_moe_router() {",
    "  if (( CURRENT == 2 )); then",
    `    local -a commands; commands=(${commandList})`,
    "    _describe command commands",
    "    return",
    "  fi",
    "  local cmd=${words[2]}",
    "  shift 1 words; (( CURRENT-- ))",
    "  case $cmd in",
    ...cases,
    "    completion) _arguments '1:shell:(bash zsh)' ;;",
    "  esac",
    "}",
    "compdef _moe_router moe-router",
    "",
  ].join("\n");
}
