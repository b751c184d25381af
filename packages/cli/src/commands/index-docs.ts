import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { ErrorCode, MoeRouterError, type Embedder } from "@moe-router/core";
import { indexDirectory, openStore, parseOwners, type IndexReport, type RagModuleOptions } from "@moe-router/layer-rag";
import { numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { DEFAULT_DATA_DIR, importEmbedderModule, loadRouterConfig } from "@moe-router/router";
import type { RouterConfig } from "@moe-router/router";
import type { Command } from "../io.js";
import { progressBar, type ProgressBar } from "../progress.js";
import { printJson, printText } from "../output.js";

const usage = usageOf(DECLARATIONS.index);
const RAG_PACKAGE = "@moe-router/layer-rag";
/** The embedder used when the config names none: the same one a config gets from `{ "package": "@moe-router/embeddings" }`. */
const DEFAULT_EMBEDDER = "@moe-router/embeddings";

/** The RAG layer's options in the config (the first entry naming the package), or {}. */
function ragOptions(config: RouterConfig): RagModuleOptions {
  const entry = config.layers.find((layer) => layer.package === RAG_PACKAGE || layer.package.endsWith("/layer-rag"));
  return entry?.options ?? {};
}

/** A `--store` file path is relative to where the user typed it, not to the data directory. */
function storeFromFlag(spec: string, cwd: string): string {
  const file = spec.startsWith("embedded:") ? spec.slice("embedded:".length) : spec.endsWith(".moerag") ? spec : undefined;
  return file === undefined || isAbsolute(file) ? spec : `embedded:${resolve(cwd, file)}`;
}

async function readOwners(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot read the owners file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the --owners path.`, {
      cause: error,
    });
  }
}

function summary(report: IndexReport, directory: string, store: string): string {
  const experts =
    Object.entries(report.byExpert)
      .map(([expert, chunks]) => `${expert} ${chunks}`)
      .join(", ") || "none";
  const { noOwner, binary, tooLarge, empty } = report.skipped;
  return [
    `Indexed ${report.indexed} of ${report.files} files under ${directory} into ${report.chunks} chunks (${store}).`,
    `Chunks by expert: ${experts}.`,
    `Skipped: ${noOwner} without owner, ${binary} binary, ${tooLarge} too large, ${empty} empty; pruned ${report.pruned} stale chunks.`,
  ].join("\n");
}

const command: Command = {
  summary: DECLARATIONS.index.summary,
  usage,
  async run(argv, io) {
    const { values, positionals } = parseDeclared(DECLARATIONS.index, argv);
    if (positionals.length !== 1) throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `Give exactly one directory to index. Usage: ${usage}`);
    if (!values.owners) {
      throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--owners FILE is required: a CODEOWNERS-style file with lines such as "/src/auth/ security-master". Usage: ${usage}`);
    }
    const chunkLines = numberOption(values["chunk-lines"], "--chunk-lines", { min: 1, max: 100_000, integer: true, unit: "lines", example: "--chunk-lines 40" });
    const directory = resolve(io.cwd, positionals[0]!);
    const ownersPath = resolve(io.cwd, values.owners);
    const owners = parseOwners(await readOwners(ownersPath), ownersPath);

    const { config, configDir } = await loadRouterConfig(values.config, io.cwd);
    const dataDir = resolve(io.cwd, config.dataDir ?? DEFAULT_DATA_DIR);
    const options = ragOptions(config);
    const embedderRef = config.embedder ?? { package: DEFAULT_EMBEDDER };
    const embedder: Embedder = await (await importEmbedderModule(embedderRef.package, { configDir, cwd: io.cwd })).createEmbedder(embedderRef.options ?? {}, { dataDir });
    const spec = values.store !== undefined ? storeFromFlag(values.store, io.cwd) : options.store;
    try {
      const store = await openStore(spec, {
        embedder,
        dataDir,
        ...(options.table !== undefined ? { table: options.table } : {}),
        ...(options.index !== undefined ? { index: options.index } : {}),
      });
      let bar: ProgressBar | undefined;
      try {
        const report = await indexDirectory(directory, {
          embedder,
          store,
          owners,
          ...(chunkLines !== undefined ? { chunkLines } : {}),
          ...(values.include ? { include: values.include } : {}),
          ...(values.exclude ? { exclude: values.exclude } : {}),
          onProgress: (done, total) => {
            // The total is known only once the tree has been walked, at the first file.
            bar ??= progressBar("indexing", total, io.stderr, io.isTTY);
            bar.update(done);
          },
        });
        bar?.finish(`${report.chunks} chunks`);
        if (!config.embedder) {
          io.stderr(`note: the config names no embedder; to route with this index add "embedder": { "package": "${DEFAULT_EMBEDDER}" } and a "${RAG_PACKAGE}" layer to it.\n`);
        }
        const where = "path" in store && typeof store.path === "string" ? store.path : store.kind;
        if (values.json) printJson(io, { directory, store: where, embedder: embedder.id, ...report });
        else printText(io, `${summary(report, directory, where)}\n`);
        return 0;
      } finally {
        await store.close();
      }
    } finally {
      await embedder.close?.();
    }
  },
};

export default command;
