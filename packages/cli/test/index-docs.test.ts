import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

const OWNERS = ["# who owns what", "/src/auth/          @security-master", "/deploy/            @cicd-master", "/src/ui/            @development-master"].join("\n");

function project(): string {
  const cwd = tempCwd("moe-cli-index-");
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), text);
  };
  write("CODEOWNERS", OWNERS);
  write("repo/src/auth/password.ts", "// Password hashing with bcrypt; rejects weak passwords; locks the account after failed logins.\nexport const rounds = 12;\n");
  write("repo/src/auth/session.ts", Array.from({ length: 50 }, (_, i) => `// ${i}: session cookies are signed and expire; tokens are revoked on logout`).join("\n"));
  write("repo/deploy/pipeline.yml", "stages: [build, test, release]\nrelease:\n  script: kubectl rollout to the production cluster\n");
  write("repo/src/ui/theme.tsx", "// Dark mode toggle for the settings page UI component\nexport const dark = true;\n");
  write("repo/README.md", "Nobody owns this file.\n");
  return cwd;
}

describe("moe-router index", () => {
  it("indexes a directory into the default embedded store with a progress bar and a summary", async () => {
    const cwd = project();
    const run = await runCli(["index", "repo", "--owners", "CODEOWNERS", "--chunk-lines", "20"], cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/indexing \[#+\] 100% 5\/5/);
    expect(run.stdout).toMatch(/Indexed 4 of 5 files/);
    expect(run.stdout).toMatch(/security-master 4/); // password.ts: 1 chunk, session.ts: 50 lines = 3 chunks
    expect(run.stdout).toMatch(/1 without owner/);
    expect(existsSync(join(cwd, ".moe-router", "rag", "index.moerag"))).toBe(true);
  });

  it("routes with the index through a config naming the embedder and the RAG layer", async () => {
    const cwd = project();
    const config = {
      experts: ["security-master", "cicd-master", "development-master", "coordinator-master"],
      embedder: { package: "@moe-router/embeddings" },
      layers: [{ package: "@moe-router/layer-rag", threshold: 0.01, options: { k: 4 } }],
      tracking: { enabled: false },
    };
    writeFileSync(join(cwd, "moe.json"), JSON.stringify(config));
    const indexed = await runCli(["index", "repo", "--owners", "CODEOWNERS", "--config", "moe.json", "--json"], cwd);
    expect(indexed.code).toBe(0);
    const report = JSON.parse(indexed.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ files: 5, indexed: 4, byExpert: { "security-master": 3, "cicd-master": 1, "development-master": 1 } });
    expect(report.embedder).toMatch(/^hashed-v1/);

    const routed = await runCli(["route", "Users are locked out after failed logins with weak passwords", "--config", "moe.json", "--no-track"], cwd);
    expect(routed.stderr).toBe("");
    expect(JSON.parse(routed.stdout)).toMatchObject({ master: "security-master", layer: "rag" });
  });

  it("writes to the store named by --store", async () => {
    const cwd = project();
    const run = await runCli(["index", "repo", "--owners", "CODEOWNERS", "--store", "custom/items.moerag"], cwd);
    expect(run.code).toBe(0);
    expect(existsSync(join(cwd, "custom", "items.moerag"))).toBe(true);
  });

  it.each([
    [["index", "repo"], /MOE_INVALID_ARGUMENT.*--owners FILE is required/],
    [["index", "--owners", "CODEOWNERS"], /MOE_INVALID_ARGUMENT.*exactly one directory/],
    [["index", "repo", "--owners", "missing.txt"], /MOE_NOT_FOUND.*owners file/],
    [["index", "nowhere", "--owners", "CODEOWNERS"], /MOE_NOT_FOUND.*Cannot read directory/],
    [["index", "repo", "--owners", "CODEOWNERS", "--chunk-lines", "0"], /MOE_INVALID_ARGUMENT.*--chunk-lines/],
    [["index", "repo", "--owners", "CODEOWNERS", "--store", "redis://x"], /MOE_INVALID_CONFIG.*Unknown RAG store/],
    [["index", "repo", "--owners", "CODEOWNERS", "--store", "postgres://nobody@127.0.0.1:1/none"], /MOE_STORE_FAILED/],
  ])("exits 2 with a coded error for %j", async (argv, message) => {
    const run = await runCli(argv, project());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
