import { describe, expect, it } from "vitest";
import { keywordLayer } from "../src/index.js";
import { stem, stemmedTokens, tokenise } from "../src/internal/normalise.js";
import { route } from "./helpers.js";

describe("tokeniser", () => {
  it("lower-cases and splits on punctuation and spaces", () => {
    expect(tokenise("Fix the LOGIN-bug, now! (v2.1)")).toEqual(["fix", "the", "login", "bug", "now", "v2", "1"]);
  });

  it("drops apostrophes inside words", () => {
    expect(tokenise("Don't touch the user's config")).toEqual(["dont", "touch", "the", "users", "config"]);
  });

  it("keeps letters of other scripts and folds compatibility forms", () => {
    expect(tokenise("Déployer l’API ＤＥＰＬＯＹ ﬁx 日本語")).toEqual(["déployer", "lapi", "deploy", "fix", "日本語"]);
  });

  it("returns no tokens for punctuation only", () => {
    expect(tokenise("!!! ??? ...")).toEqual([]);
  });
});

describe("stemmer", () => {
  const families: Record<string, string[]> = {
    deploy: ["deploy", "deploys", "deploying", "deployed"],
    test: ["test", "tests", "testing", "tested"],
    fix: ["fix", "fixes", "fixed", "fixing"],
    build: ["build", "builds", "building"],
    scan: ["scan", "scans", "scanning", "scanned"],
    dependency: ["dependency", "dependencies"],
    releas: ["release", "releases", "released", "releasing"],
    refactor: ["refactor", "refactors", "refactoring", "refactored"],
  };
  for (const [expected, words] of Object.entries(families)) {
    it(`maps ${words.join("/")} to "${expected}"`, () => {
      for (const word of words) expect(stem(word), word).toBe(expected);
    });
  }

  it("leaves short words, -ss/-us/-is words and vowel-less stems alone", () => {
    for (const word of ["bug", "cve", "ci", "status", "access", "analysis", "string", "bring", "latest"]) {
      expect(stem(word), word).toBe(word);
    }
  });

  it("undoubles a final consonant but not l, s or z", () => {
    expect(stem("running")).toBe("run");
    expect(stem("committed")).toBe("commit");
    expect(stem("filling")).toBe("fill");
    expect(stem("passed")).toBe("pass");
  });

  it("stems every token of a text", () => {
    expect(stemmedTokens("Deploying builds and fixing tests")).toEqual(["deploy", "build", "and", "fix", "test"]);
  });
});

describe("inflections reach the rules", () => {
  const layer = keywordLayer();
  it.each([
    ["Deploys the API", "cicd-master"],
    ["Deploying the API", "cicd-master"],
    ["Deployed the API", "cicd-master"],
    ["Testing the checkout", "cicd-master"],
    ["Building the app", "cicd-master"],
    ["Fixes for the parser", "development-master"],
    ["Fixing the parser", "development-master"],
    ["Known vulnerabilities in libxml", "security-master"],
    ["Scanning images", "security-master"],
    ["Documenting the inventory", "inventory-master"],
    ["Implementing new features", "development-master"],
  ])("%s -> %s", (text, expert) => {
    expect(route(layer, text).expert).toBe(expert);
  });

  it("reports the rule's word, not the task's inflection", () => {
    expect(route(layer, "Deploying").details.matched_keywords).toEqual(["deploy"]);
  });
});
