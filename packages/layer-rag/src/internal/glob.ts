/**
 * CODEOWNERS/gitignore-style path patterns compiled to regular expressions over
 * POSIX relative paths ("src/auth/login.ts").
 *
 * - a leading "/" or a "/" inside the pattern anchors it at the root; otherwise it matches
 *   at any depth ("*.md", "apps/");
 * - "*" matches within one path segment, "?" one character, "**" any number of segments;
 * - a pattern matching a directory matches every file beneath it; a trailing "/" matches
 *   directories only;
 * - as in GitHub's CODEOWNERS, "docs/*" matches files directly in docs/, not deeper ones.
 */

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

function segmentSource(segment: string): string {
  let out = "";
  for (const char of segment) out += char === "*" ? "[^/]*" : char === "?" ? "[^/]" : escape(char);
  return out;
}

/** Compiles one pattern; throws TypeError for an empty one. */
export function compilePattern(pattern: string): RegExp {
  let body = pattern.trim();
  if (!body) throw new TypeError("empty path pattern");
  let anchored = body.startsWith("/");
  if (anchored) body = body.slice(1);
  const directoryOnly = body.endsWith("/");
  if (directoryOnly) body = body.replace(/\/+$/, "");
  if (body.includes("/")) anchored = true;
  const segments = body.split("/").filter((s) => s.length > 0);
  if (segments.length === 0) return /^.*$/; // "/" alone: the whole tree
  let source = "";
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") {
      // "**" alone, leading "**/", inner "/**/" and trailing "/**" all mean "any depth".
      source += last ? ".*" : "(?:[^/]+/)*";
      return;
    }
    source += segmentSource(segment) + (last ? "" : "/");
  });
  const prefix = anchored ? "^" : "^(?:[^/]+/)*";
  const lastSegment = segments[segments.length - 1]!;
  const directFilesOnly = lastSegment === "*" && segments.length > 1;
  const suffix = directoryOnly ? "/.+$" : lastSegment === "**" || directFilesOnly ? "$" : "(?:/.+)?$";
  return new RegExp(prefix + source + suffix);
}

/** A compiled list of patterns: `matches(path)` is true when any pattern matches. */
export function globSet(patterns: readonly string[]): { matches(path: string): boolean } {
  const compiled = patterns.map(compilePattern);
  return { matches: (path) => compiled.some((re) => re.test(path)) };
}
