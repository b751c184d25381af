import { describe, expect, it } from "vitest";
import { ownerMatcher, parseOwners } from "../src/index.js";

function owner(text: string, path: string): string | undefined {
  return ownerMatcher(parseOwners(text))(path);
}

describe("CODEOWNERS patterns", () => {
  it.each([
    // [pattern, path, matches?] — after GitHub's CODEOWNERS documentation examples
    ["*", "README.md", true],
    ["*", "deep/down/file.ts", true],
    ["*.js", "src/app.js", true],
    ["*.js", "src/app.ts", false],
    ["*.go", "main.go", true],
    ["/build/logs/", "build/logs/today.log", true],
    ["/build/logs/", "build/logs/nested/old.log", true],
    ["/build/logs/", "other/build/logs/today.log", false],
    ["docs/*", "docs/getting-started.md", true],
    ["docs/*", "docs/build-app/troubleshooting.md", false],
    ["apps/", "apps/web/index.ts", true],
    ["apps/", "services/apps/api.ts", true],
    ["apps/", "apps", false],
    ["/docs/", "docs/a.md", true],
    ["/docs/", "src/docs/a.md", false],
    ["**/logs", "logs/a.log", true],
    ["**/logs", "build/logs/a.log", true],
    ["**/logs", "deep/er/logs/x/y.log", true],
    ["/scripts/", "scripts/deploy.sh", true],
    ["src/**/auth.ts", "src/auth.ts", true],
    ["src/**/auth.ts", "src/a/b/auth.ts", true],
    ["src/**/auth.ts", "lib/src/auth.ts", false],
    ["/src/auth", "src/auth/login.ts", true],
    ["/src/auth", "src/authz/login.ts", false],
    ["src/**", "src/x/y.ts", true],
    ["src/**", "srcx/y.ts", false],
    ["Makefile", "tools/Makefile", true],
    ["?.txt", "a.txt", true],
    ["?.txt", "ab.txt", false],
    ["file.name+v1.md", "file.name+v1.md", true],
    ["file.name+v1.md", "fileXname+v1.md", false],
  ])("%s on %s -> %s", (pattern, path, matches) => {
    expect(owner(`${pattern} @expert`, path)).toBe(matches ? "expert" : undefined);
  });
});

describe("owners files", () => {
  const file = [
    "# default owner",
    "*                      @coordinator-master",
    "",
    "*.tf                   @cicd-master   # infrastructure",
    ".github/workflows/     @cicd-master",
    "/src/auth/             @security-master @someone-else",
    "/src/auth/README.md",
    "/inventory/            inventory-master",
    "\\#notes.md             development-master",
  ].join("\n");

  it("lets the last matching rule win, and supports unowned rules, plain names and escapes", () => {
    const of = ownerMatcher(parseOwners(file));
    expect(of("src/app.ts")).toBe("coordinator-master");
    expect(of("infra/main.tf")).toBe("cicd-master");
    expect(of(".github/workflows/ci.yml")).toBe("cicd-master");
    expect(of("src/auth/login.ts")).toBe("security-master");
    expect(of("src/auth/README.md")).toBeUndefined(); // a rule without owners clears ownership
    expect(of("inventory/list.csv")).toBe("inventory-master");
    expect(of("#notes.md")).toBe("development-master");
  });

  it("keeps line numbers and rejects negation with a coded error naming the line", () => {
    expect(parseOwners(file)[0]).toEqual({ pattern: "*", expert: "coordinator-master", line: 2 });
    expect(() => parseOwners("* a\n!secret.txt b", "CODEOWNERS")).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/^CODEOWNERS:2: .*negated/) }));
    expect(() => parseOwners("* @", "CODEOWNERS")).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
  });
});
