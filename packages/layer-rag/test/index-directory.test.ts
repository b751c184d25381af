import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { hashedEmbedder } from "@moe-router/embeddings";
import { describe, expect, it } from "vitest";
import { embeddedStore, indexDirectory, ragLayer } from "../src/index.js";

const OWNERS = [
  "/src/auth/             @security-master",
  ".github/workflows/     @cicd-master",
  "/inventory/            @inventory-master",
  "/src/app/              @development-master",
  "/assets/               @development-master",
  "*.log                  @development-master",
].join("\n");

function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), "moe-rag-tree-"));
  write(
    root,
    "src/auth/login.ts",
    [
      "// Login: checks the password hash, issues a session token, enforces MFA.",
      "export function login(user: string, password: string) {",
      "  const hash = hashPassword(password);",
      "  if (!verifyPasswordHash(user, hash)) throw new Error('invalid credentials');",
      "  return issueSessionToken(user, { mfa: true, expiresIn: '15m' });",
      "}",
    ].join("\n"),
  );
  write(root, "src/auth/tokens.ts", Array.from({ length: 100 }, (_, i) => `// line ${i}: rotate signing keys and revoke leaked session tokens`).join("\n"));
  write(root, ".github/workflows/deploy.yml", "name: deploy\non: push\njobs:\n  deploy:\n    steps:\n      - run: npm ci\n      - run: docker build and push the release image to production\n");
  write(root, "inventory/services.csv", "service,owner,version\npayments,team-a,1.2\nsearch,team-b,3.4\n");
  write(root, "src/app/dark-mode.tsx", "export const theme = { dark: true }; // UI theme switcher component\n");
  write(root, "src/app/empty.ts", "\n\n   \n");
  write(root, "docs/notes.md", "Meeting notes nobody owns.\n");
  write(root, "assets/logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
  write(root, "server.log", "x".repeat(20_000));
  write(root, "node_modules/pkg/index.js", "module.exports = 1;\n");
  write(root, ".git/config", "[core]\n");
  return root;
}

describe("indexDirectory", () => {
  it("indexes owned text files in chunks, skips and counts the rest, reports progress", async () => {
    const root = tree();
    const embedder = hashedEmbedder();
    const store = embeddedStore({ dimension: embedder.dimension, embedderId: embedder.id });
    const progress: [number, number][] = [];
    const report = await indexDirectory(root, { embedder, store, owners: OWNERS, chunkLines: 40, maxFileBytes: 10_000, onProgress: (done, total) => progress.push([done, total]) });

    expect(report).toEqual({
      files: 9, // node_modules/ and .git/ are excluded by default
      indexed: 5,
      chunks: 7, // tokens.ts has 100 lines: 3 chunks of at most 40
      skipped: { noOwner: 1, binary: 1, tooLarge: 1, empty: 1 },
      pruned: 0,
      byExpert: { "security-master": 4, "cicd-master": 1, "inventory-master": 1, "development-master": 1 },
    });
    expect(progress).toHaveLength(9);
    expect(progress.at(-1)).toEqual([9, 9]);
    expect(progress.every(([done], i) => done === i + 1)).toBe(true);
    expect((await store.ids("document")).filter((id) => id.includes("tokens.ts"))).toEqual(
      expect.arrayContaining(["doc:src/auth/tokens.ts#L1-40", "doc:src/auth/tokens.ts#L41-80", "doc:src/auth/tokens.ts#L81-100"]),
    );

    const layer = ragLayer({ embedder, store, k: 4 });
    const security = await layer.route({ description: "Users cannot log in: the password check rejects valid credentials" }, { eventId: "e" });
    expect(security.expert).toBe("security-master");
    expect((security.details!.neighbours as { path?: string }[])[0]!.path).toBe("src/auth/login.ts");
    expect((await layer.route({ description: "Deploy the release image to production with docker" }, { eventId: "e" })).expert).toBe("cicd-master");
  });

  it("re-indexing prunes chunks of deleted and shortened files", async () => {
    const root = tree();
    const embedder = hashedEmbedder();
    const store = embeddedStore({ dimension: embedder.dimension, embedderId: embedder.id });
    await indexDirectory(root, { embedder, store, owners: OWNERS });
    rmSync(join(root, ".github"), { recursive: true });
    write(root, "src/auth/tokens.ts", "// short now\n");
    const again = await indexDirectory(root, { embedder, store, owners: OWNERS });
    expect(again.pruned).toBe(4); // the workflow's chunk + all three old chunks of tokens.ts (now one chunk, L1-1)
    expect(await store.count()).toBe(again.chunks);
    expect((await store.ids()).some((id) => id.includes("deploy.yml"))).toBe(false);
  });

  it("honours include and exclude globs", async () => {
    const root = tree();
    const embedder = hashedEmbedder();
    const store = embeddedStore({ dimension: embedder.dimension });
    const report = await indexDirectory(root, { embedder, store, owners: OWNERS, include: ["*.ts", "*.tsx"], exclude: ["src/app/", ".git/", "node_modules/"] });
    expect(report.files).toBe(2);
    expect(report.byExpert).toEqual({ "security-master": 4 });
  });

  it("fails with coded errors for a missing directory or an empty owners map", async () => {
    const embedder = hashedEmbedder();
    const store = embeddedStore({ dimension: embedder.dimension });
    await expect(indexDirectory(join(tmpdir(), "no-such-dir-moe"), { embedder, store, owners: OWNERS })).rejects.toMatchObject({ code: "MOE_NOT_FOUND" });
    await expect(indexDirectory(tree(), { embedder, store, owners: "# nothing\n" })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/no rules/) });
    await expect(indexDirectory(tree(), { embedder, store, owners: OWNERS, chunkLines: 0 })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });
});
