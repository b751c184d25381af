/**
 * Indexes a directory of documents (a codebase, runbooks) into a vector store: each file is
 * labelled with its owner from a CODEOWNERS-style map, cut into line chunks with a path
 * header, embedded and upserted. The RAG layer then routes a task to the owner of the
 * most similar chunks.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { globSet } from "./internal/glob.js";
import { checkKnownKeys } from "@moe-router/core/kit";
import { checkNumber } from "./internal/options.js";
import { chunkLines, listFiles, looksBinary } from "./internal/walk.js";
import { ownerMatcher, parseOwners } from "./owners.js";
import type { IndexDirectoryOptions, IndexReport, VectorItem } from "./types.js";

const OPTION_NAMES = ["embedder", "store", "owners", "include", "exclude", "chunkLines", "maxFileBytes", "batchSize", "idPrefix", "prune", "onProgress"] as const;
const WHERE = "indexDirectory()";
const DEFAULT_EXCLUDE = [".git/", "node_modules/"];
/** Characters of a chunk kept as its stored text (the vector covers the whole chunk). */
const STORED_TEXT = 400;

/**
 * Indexes every owned text file under `directory` into `options.store`.
 * Files with no owner, binary files and files over `maxFileBytes` are skipped and counted.
 * Resolves to a report; the store is flushed but left open.
 *
 * @example
 * const report = await indexDirectory("./repo", { embedder, store, owners: await readFile("CODEOWNERS", "utf8") });
 */
export async function indexDirectory(directory: string, options: IndexDirectoryOptions): Promise<IndexReport> {
  checkKnownKeys(options, OPTION_NAMES, WHERE);
  checkNumber(options.chunkLines, "chunkLines", WHERE, { min: 1, integer: true });
  checkNumber(options.maxFileBytes, "maxFileBytes", WHERE, { min: 1, integer: true });
  checkNumber(options.batchSize, "batchSize", WHERE, { min: 1, integer: true });
  const { embedder, store } = options;
  const lines = options.chunkLines ?? 40;
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const batchSize = options.batchSize ?? 32;
  const idPrefix = options.idPrefix ?? "doc:";
  const rules = typeof options.owners === "string" ? parseOwners(options.owners) : options.owners;
  if (rules.length === 0) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${WHERE}: the owners map has no rules, so no file has an expert. Add lines such as "/src/auth/ security-master".`);
  }
  const ownerOf = ownerMatcher(rules);
  const include = options.include?.length ? globSet(options.include) : undefined;
  const exclude = globSet(options.exclude ?? DEFAULT_EXCLUDE);

  let files: string[];
  try {
    files = await listFiles(directory, (path) => exclude.matches(`${path}/.`));
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot read directory ${directory}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the path.`, { cause: error });
  }
  files = files.filter((path) => !exclude.matches(path) && (!include || include.matches(path)));

  const skipped = { noOwner: 0, binary: 0, tooLarge: 0, empty: 0 };
  const byExpert: Record<string, number> = {};
  const written = new Set<string>();
  let pending: { item: Omit<VectorItem, "vector">; embedText: string }[] = [];
  let indexed = 0;
  let chunks = 0;

  async function drain(): Promise<void> {
    if (pending.length === 0) return;
    const queue = pending;
    pending = [];
    for (let start = 0; start < queue.length; start += batchSize) {
      const batch = queue.slice(start, start + batchSize);
      const vectors = await embedder.embed(batch.map((p) => p.embedText));
      const items: VectorItem[] = [];
      batch.forEach((p, i) => {
        // The path header gives every chunk some vector, but guard anyway: zero vectors cannot be stored.
        if (vectors[i]!.some((v) => v !== 0)) items.push({ ...p.item, vector: vectors[i]! });
      });
      await store.upsert(items);
      for (const item of items) {
        written.add(item.id);
        byExpert[item.expert] = (byExpert[item.expert] ?? 0) + 1;
      }
      chunks += items.length;
    }
  }

  for (let done = 0; done < files.length; done++) {
    const path = files[done]!;
    const expert = ownerOf(path);
    if (expert === undefined) {
      skipped.noOwner++;
    } else if ((await stat(join(directory, path))).size > maxBytes) {
      skipped.tooLarge++;
    } else {
      const bytes = await readFile(join(directory, path));
      const parts = looksBinary(bytes) ? undefined : chunkLines(bytes.toString("utf8"), lines);
      if (parts === undefined) skipped.binary++;
      else if (parts.length === 0) skipped.empty++;
      else {
        indexed++;
        for (const part of parts) {
          pending.push({
            item: { id: `${idPrefix}${path}#L${part.start}-${part.end}`, expert, text: part.text.slice(0, STORED_TEXT), source: "document", path },
            embedText: `${path} (lines ${part.start}-${part.end})\n${part.text}`,
          });
        }
        if (pending.length >= batchSize) await drain();
      }
    }
    options.onProgress?.(done + 1, files.length, path);
  }
  await drain();

  let pruned = 0;
  if (options.prune !== false && store.ids && store.delete) {
    const stale = (await store.ids("document")).filter((id) => id.startsWith(idPrefix) && !written.has(id));
    pruned = stale.length ? await store.delete(stale) : 0;
  }
  await store.flush?.();
  return { files: files.length, indexed, chunks, skipped, pruned, byExpert };
}
