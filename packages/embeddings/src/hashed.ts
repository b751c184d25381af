/**
 * The model-free embedder: hashed word and character n-grams with IDF weighting.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { FeatureExtractor, type FeatureSettings } from "./internal/features.js";
import { countDocumentFrequencies, IdfWeights } from "./internal/idf.js";
import { tokenise } from "./internal/tokenise.js";
import { checkDimension, checkIdfTable, checkKnownKeys, checkRange, checkSeed } from "./internal/validate.js";
import type { HashedEmbedder, HashedEmbedderOptions, HashedEmbedderState, IdfTable, NgramRange } from "./types.js";

const OPTION_NAMES = ["dimension", "wordNgrams", "charNgrams", "idf", "seed"] as const;
const STATE_FORMAT = "moe-router/hashed-embedder";

function rangeTag(prefix: string, range: NgramRange | false): string {
  return range ? `${prefix}${range[0]}-${range[1]}` : `${prefix}0`;
}

class HashedEmbedderImpl implements HashedEmbedder {
  readonly dimension: number;
  private readonly settings: FeatureSettings;
  private readonly extractor: FeatureExtractor;
  private readonly baseId: string;
  private idfWeights: IdfWeights | undefined;

  constructor(settings: FeatureSettings, idf: IdfTable | undefined) {
    this.settings = settings;
    this.dimension = settings.dimension;
    this.extractor = new FeatureExtractor(settings);
    const seedTag = settings.seed === 0 ? "" : `:s${settings.seed}`;
    this.baseId = `hashed-v1:d${settings.dimension}:${rangeTag("w", settings.wordNgrams)}:${rangeTag("c", settings.charNgrams)}${seedTag}`;
    this.idfWeights = idf ? new IdfWeights(idf) : undefined;
  }

  get id(): string {
    return `${this.baseId}:idf${this.idfWeights?.tag ?? "none"}`;
  }

  get idf(): IdfTable | undefined {
    return this.idfWeights?.table;
  }

  embed(texts: readonly string[]): Float32Array[] {
    if (!Array.isArray(texts)) throw new TypeError("embed() takes an array of strings");
    const out: Float32Array[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) out[i] = this.embedOne(texts[i]);
    return out;
  }

  private embedOne(text: string): Float32Array {
    if (typeof text !== "string") throw new TypeError(`embed() takes strings; got ${typeof text}`);
    const tokens = tokenise(text);
    const weights = new Float64Array(tokens.length);
    const idf = this.idfWeights;
    for (let i = 0; i < tokens.length; i++) weights[i] = idf ? idf.weight(tokens[i]!) : 1;
    return this.extractor.vector(tokens, weights);
  }

  fitIdf(corpus: Iterable<string>): void {
    const table = countDocumentFrequencies(corpus);
    if (table.documents === 0) {
      throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, "fitIdf() got an empty corpus; pass the texts the embedder will see (e.g. every exemplar utterance).");
    }
    this.idfWeights = new IdfWeights(table);
  }

  exportState(): HashedEmbedderState {
    const { dimension, wordNgrams, charNgrams, seed } = this.settings;
    const base = { format: STATE_FORMAT, version: 1, dimension, wordNgrams, charNgrams, seed } as const;
    const idf = this.idfWeights?.table;
    return idf ? { ...base, idf: { documents: idf.documents, frequencies: { ...idf.frequencies } } } : base;
  }
}

/**
 * Creates the model-free embedder: deterministic, fast, no model to download.
 * Call `fitIdf(texts)` (or pass `idf`) so frequent words weigh less.
 *
 * @example
 * const embedder = hashedEmbedder();
 * embedder.fitIdf(exemplars);
 * const [vector] = embedder.embed(["Fix authentication bug in login system"]);
 */
export function hashedEmbedder(options: HashedEmbedderOptions = {}): HashedEmbedder {
  const where = "hashedEmbedder()";
  if (options === null || typeof options !== "object") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} takes an options object, e.g. hashedEmbedder({ dimension: 1024 }).`);
  }
  checkKnownKeys(options, OPTION_NAMES, where);
  const settings: FeatureSettings = {
    dimension: checkDimension(options.dimension ?? 1024, where),
    wordNgrams: checkRange(options.wordNgrams ?? [1, 2], "wordNgrams", where),
    charNgrams: checkRange(options.charNgrams ?? [3, 5], "charNgrams", where),
    seed: checkSeed(options.seed ?? 0, where),
  };
  if (!settings.wordNgrams && !settings.charNgrams) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: "wordNgrams" and "charNgrams" are both false, so no feature is left; enable at least one.`);
  }
  const idf = options.idf === undefined ? undefined : checkIdfTable(options.idf, where);
  return new HashedEmbedderImpl(settings, idf);
}

/**
 * Rebuilds a hashed embedder from `exportState()` output (e.g. read back from JSON).
 * Throws MOE_CORRUPT_FILE when the state is not one this version wrote.
 */
export function hashedEmbedderFromState(state: unknown): HashedEmbedder {
  const where = "hashedEmbedderFromState()";
  const corrupt = (why: string): never => {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `${where}: ${why}. Pass the object returned by exportState() (format "${STATE_FORMAT}", version 1); re-export it if it was edited.`);
  };
  if (state === null || typeof state !== "object") return corrupt("state is not an object");
  const s = state as Partial<Record<keyof HashedEmbedderState, unknown>>;
  if (s.format !== STATE_FORMAT) return corrupt(`format is ${JSON.stringify(s.format)}`);
  if (s.version !== 1) return corrupt(`version ${String(s.version)} is not supported`);
  for (const key of ["dimension", "wordNgrams", "charNgrams", "seed"] as const) {
    if (s[key] === undefined) corrupt(`"${key}" is missing`);
  }
  try {
    return hashedEmbedder({
      dimension: s.dimension as number,
      wordNgrams: s.wordNgrams as NgramRange | false,
      charNgrams: s.charNgrams as NgramRange | false,
      seed: s.seed as number,
      ...(s.idf === undefined ? {} : { idf: checkIdfTable(s.idf, where, ErrorCode.CORRUPT_FILE) }),
    });
  } catch (error) {
    if (error instanceof MoeRouterError && error.code === ErrorCode.CORRUPT_FILE) throw error;
    return corrupt(`a setting is invalid (${(error as Error).message})`);
  }
}
