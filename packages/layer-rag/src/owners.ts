/**
 * CODEOWNERS-style ownership: which expert owns a file. Documents are labelled by path,
 * the way a repository already says who owns what.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { compilePattern } from "./internal/glob.js";
import type { OwnerRule } from "./types.js";

/**
 * Parses a CODEOWNERS-style file: one `pattern expert` per line, `#` comments, blank lines
 * ignored. A leading "@" on the owner is dropped (`@security-master` = `security-master`);
 * when a line names several owners the first is the expert. A pattern with no owner marks
 * files as unowned (they are skipped). Throws MOE_INVALID_CONFIG naming the line to fix.
 *
 * @example
 * parseOwners("*.tf @cicd-master\n/src/auth/ @security-master");
 */
export function parseOwners(text: string, file = "owners file"): OwnerRule[] {
  const rules: OwnerRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    // "\#" escapes a pattern starting with "#"; an unescaped " #" starts a trailing comment.
    const content = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!content) return;
    const [pattern, ...owners] = content.split(/\s+/);
    const fail = (why: string) => new MoeRouterError(ErrorCode.INVALID_CONFIG, `${file}:${line}: ${why}`, { data: { file, line } });
    if (pattern!.startsWith("!")) throw fail(`"${pattern}": negated patterns ("!") are not supported in CODEOWNERS; list the narrower pattern later with its own owner instead.`);
    const unescaped = pattern!.replace(/^\\#/, "#");
    try {
      compilePattern(unescaped);
    } catch (error) {
      throw fail(`"${pattern}" is not a valid path pattern (${(error as Error).message}).`);
    }
    const owner = owners[0]?.replace(/^@/, "");
    if (owners.length > 0 && !owner) throw fail(`"${owners[0]}" is not an expert name; write e.g. "${pattern} security-master".`);
    rules.push({ pattern: unescaped, expert: owner, line });
  });
  return rules;
}

/** Builds a function giving the owner of a relative POSIX path (last matching rule wins). */
export function ownerMatcher(rules: readonly OwnerRule[]): (path: string) => string | undefined {
  const compiled = rules.map((rule) => ({ expert: rule.expert, re: compilePattern(rule.pattern) }));
  return (path) => {
    for (let i = compiled.length - 1; i >= 0; i--) if (compiled[i]!.re.test(path)) return compiled[i]!.expert;
    return undefined;
  };
}
