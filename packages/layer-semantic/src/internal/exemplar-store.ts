import { createHash } from "node:crypto";
import { ErrorCode, isMoeRouterError, MoeRouterError, type Embedder, type LabelledExample } from "@moe-router/core";
import { ExemplarIndex, type NewRow, type RowKind } from "./exemplar-index.js";
import { chain, type MaybePromise } from "./sync.js";
import { textKey } from "./text-key.js";
import { readVectorFile, writeVectorFile, type LearnedEntry, type PersistedCalibration } from "./vector-file.js";

/** A text the configuration asks for, before it is embedded. */
export interface Seed {
  readonly text: string;
  readonly expert: string;
  readonly kind: RowKind;
}

/** Texts per embed() call: large enough to amortise model overhead, small enough to bound memory. */
const EMBED_BATCH = 128;

/**
 * Owns the exemplar index and its persistence: loads cached vectors, embeds only what is
 * missing, applies learned corrections, and writes the vector file back (serialised, so
 * concurrent learn() calls never interleave writes). Everything stays synchronous when the
 * embedder is, except file writes: in the background after start-up (awaited by flush()),
 * awaited by learn().
 */
export class ExemplarStore {
  readonly index: ExemplarIndex;
  /** Learned examples by text key (persisted with their text, since no config lists them). */
  readonly learned = new Map<string, LearnedEntry>();
  embedded = 0;
  loadedFromCache = 0;
  /** Embedder id the index's vectors were made with (ids change, e.g. when IDF is refitted). */
  vectorsId: string;
  /** The calibration found in the vector file at load (the layer decides whether it still holds). */
  savedCalibration: PersistedCalibration | undefined;
  /** The calibration to write with the vectors, and the one last written. */
  private calibration: (() => PersistedCalibration | undefined) | undefined;
  private lastCalibration: PersistedCalibration | undefined;
  private writeLoop: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly embedder: Embedder,
    private readonly persistPath: string | undefined,
    private readonly warn: (warning: MoeRouterError) => void,
  ) {
    this.index = new ExemplarIndex(embedder.dimension);
    this.vectorsId = embedder.id;
  }

  /** True when the embedder's id no longer matches the stored vectors. */
  get stale(): boolean {
    return this.embedder.id !== this.vectorsId;
  }

  /** Re-embeds every row with the embedder as it is now (its id changed), keeping labels. */
  reembed(): MaybePromise<void> {
    const id = this.embedder.id;
    const texts: string[] = [];
    const firstRow = new Map<string, number>();
    for (let row = 0; row < this.index.size; row++) {
      const key = this.index.keys[row]!;
      if (!firstRow.has(key)) {
        firstRow.set(key, texts.length);
        texts.push(this.index.texts[row]!);
      }
    }
    return chain(this.embed(texts), (vectors) => {
      for (let row = 0; row < this.index.size; row++) this.index.replaceVector(row, vectors[firstRow.get(this.index.keys[row]!)!]!);
      this.vectorsId = id;
      if (this.persistPath) void this.scheduleWrite();
    });
  }

  /** Embeds texts in batches; checks every vector's length against the embedder's dimension. */
  embed(texts: readonly string[]): MaybePromise<Float32Array[]> {
    const out: Float32Array[] = [];
    const accept = (vectors: readonly Float32Array[], expected: number): void => {
      if (!Array.isArray(vectors) || vectors.length !== expected) {
        throw new MoeRouterError(
          ErrorCode.LAYER_FAILED,
          `Embedder "${this.embedder.id}" returned ${Array.isArray(vectors) ? vectors.length : "no"} vectors for ${expected} texts; it must return one vector per text.`,
        );
      }
      for (const vector of vectors) {
        if (!vector || vector.length !== this.embedder.dimension) {
          throw new MoeRouterError(ErrorCode.LAYER_FAILED, `Embedder "${this.embedder.id}" returned a vector of length ${vector?.length}, but declares dimension ${this.embedder.dimension}.`);
        }
        out.push(vector);
      }
      this.embedded += expected;
    };
    const step = (start: number): MaybePromise<void> => {
      for (let from = start; from < texts.length; from += EMBED_BATCH) {
        const batch = texts.slice(from, from + EMBED_BATCH);
        const result = this.embedder.embed(batch);
        if (result && typeof (result as Promise<Float32Array[]>).then === "function") {
          return (result as Promise<Float32Array[]>).then((vectors) => {
            accept(vectors, batch.length);
            return step(from + EMBED_BATCH);
          });
        }
        accept(result as Float32Array[], batch.length);
      }
      return undefined;
    };
    return chain(step(0), () => out);
  }

  /**
   * Builds the index from the configured seeds plus the learned examples of the vector file,
   * embedding only texts whose vectors are not cached under this embedder's id.
   */
  load(seeds: readonly Seed[]): MaybePromise<void> {
    this.vectorsId = this.embedder.id;
    const cached = this.readCache();
    this.savedCalibration = cached?.calibration;
    const learnedBefore = cached?.learned ?? new Map<string, LearnedEntry>();
    const all: Seed[] = [...seeds];
    for (const entry of learnedBefore.values()) all.push({ text: entry.text, expert: entry.expert, kind: "learned" });
    const vectors = cached?.vectors ?? new Map<string, Float32Array>();
    const missing = [...new Set(all.map((seed) => seed.text).filter((text) => !vectors.has(textKey(text))))];
    return chain(this.embed(missing), (fresh) => {
      missing.forEach((text, i) => vectors.set(textKey(text), fresh[i]!));
      const seen = new Set<string>();
      const rows: NewRow[] = [];
      for (const seed of seeds) {
        const key = textKey(seed.text);
        const pair = `${key}\u0000${seed.expert}`;
        if (seen.has(pair)) continue; // the same text listed twice for one expert counts once
        seen.add(pair);
        rows.push({ text: seed.text, key, kind: seed.kind, expert: seed.expert, vector: vectors.get(key)! });
      }
      this.index.addMany(rows);
      this.absorb(
        [...learnedBefore].map(([key, entry]) => ({ key, ...entry })),
        vectors,
      );
      this.loadedFromCache = all.length > 0 ? new Set(all.map((s) => textKey(s.text))).size - missing.length : 0;
      // Build the search lists now, so the first route does not pay for them.
      this.index.searchLists();
      const stale = cached ? [...cached.vectors.keys()].some((key) => this.index.rowsOf(key).length === 0) : false;
      // In the background: routing need not wait for the disk (ready() and close() do).
      if (this.persistPath && (cached === undefined || missing.length > 0 || stale)) void this.scheduleWrite();
    });
  }

  /** Adds labelled examples: known texts are relabelled, new texts embedded. */
  learn(examples: readonly LabelledExample[]): MaybePromise<void> {
    const missing: LabelledExample[] = [];
    const pending = new Set<string>();
    for (const example of examples) {
      const key = textKey(example.text);
      if (this.index.rowsOf(key).length === 0 && !pending.has(key)) {
        pending.add(key);
        missing.push(example);
      }
    }
    return chain(this.embed(missing.map((example) => example.text)), (vectors) => {
      const byKey = new Map(missing.map((example, i) => [textKey(example.text), vectors[i]!]));
      this.absorb(
        examples.map((example) => ({ key: textKey(example.text), text: example.text, expert: example.expert })),
        byKey,
      );
      // Awaited: when learn() resolves, the corrections survive a crash.
      return this.persistPath && examples.length > 0 ? this.scheduleWrite() : undefined;
    });
  }

  /**
   * Sets where the calibration written with the vectors comes from: `provider` is asked at
   * each write, so the file always pairs the calibration with the rows it is written with.
   * Writes the file when the calibration changed (coalesced with a write already pending, so
   * start-up writes once).
   */
  setCalibration(provider: () => PersistedCalibration | undefined): void {
    const before = this.lastCalibration ?? this.savedCalibration;
    this.calibration = provider;
    if (this.persistPath && JSON.stringify(before) !== JSON.stringify(provider())) void this.scheduleWrite();
  }

  /**
   * An order-independent hash of the rows (text key, expert, kind): a restart that rebuilds
   * the same rows (same exemplars, same learned examples) gets the same value.
   */
  rowsFingerprint(): string {
    const rows: string[] = [];
    for (let row = 0; row < this.index.size; row++) rows.push(`${this.index.keys[row]}\u0000${this.index.experts[this.index.labels[row]!]}\u0000${this.index.kinds[row]}`);
    rows.sort();
    const hash = createHash("sha256");
    for (const row of rows) hash.update(row).update("\n");
    return hash.digest("hex").slice(0, 32);
  }

  /** Waits for the pending file write, if any. */
  flush(): Promise<void> {
    return this.writeLoop ?? Promise.resolve();
  }

  /**
   * Records learned examples in order: texts new to the index are added in one batch (with
   * the expert of their first occurrence), then every example relabels the rows of its
   * text, so the latest correction of a text wins over earlier labels and exemplars.
   */
  private absorb(entries: readonly (LearnedEntry & { key: string })[], vectors: ReadonlyMap<string, Float32Array>): void {
    const fresh: NewRow[] = [];
    const adding = new Set<string>();
    for (const { key, text, expert } of entries) {
      const vector = vectors.get(key);
      if (vector && !adding.has(key) && this.index.rowsOf(key).length === 0) {
        adding.add(key);
        fresh.push({ text, key, kind: "learned", expert, vector });
      }
    }
    this.index.addMany(fresh);
    for (const { key, text, expert } of entries) {
      this.learned.delete(key); // re-insert so the file keeps learning order
      this.learned.set(key, { text, expert });
      for (const row of this.index.rowsOf(key)) {
        if (this.index.experts[this.index.labels[row]!] !== expert || this.index.kinds[row] !== "learned") this.index.relabel(row, expert);
      }
    }
  }

  private readCache(): ReturnType<typeof readVectorFile> {
    if (!this.persistPath) return undefined;
    try {
      const contents = readVectorFile(this.persistPath);
      if (!contents) return undefined;
      if (contents.embedderId !== this.embedder.id || contents.dimension !== this.embedder.dimension) {
        // Vectors of another model are meaningless here; keep only the learned texts.
        return { ...contents, vectors: new Map() };
      }
      return contents;
    } catch (error) {
      this.warn(isMoeRouterError(error) ? error : new MoeRouterError(ErrorCode.CORRUPT_FILE, String(error), { cause: error }));
      return undefined;
    }
  }

  /**
   * Marks the file dirty and makes sure a write loop runs. Writes are coalesced: a burst of
   * learn() calls during one write causes one more write, not one per call. Resolves when
   * the file holds everything known at the time of the call.
   */
  private scheduleWrite(): Promise<void> {
    this.dirty = true;
    this.writeLoop ??= this.runWrites();
    return this.writeLoop;
  }

  private async runWrites(): Promise<void> {
    try {
      // Let the current turn finish first: start-up sets the calibration right after scheduling
      // the vectors' write, and one write should carry both.
      await null;
      while (this.dirty) {
        this.dirty = false;
        await this.writeOnce();
      }
    } finally {
      // Cleared in the same tick as the last dirty check, so no request can slip between.
      this.writeLoop = undefined;
    }
  }

  private async writeOnce(): Promise<void> {
    const path = this.persistPath!;
    const keys: string[] = [];
    const rows: number[] = [];
    const seen = new Set<string>();
    for (let row = 0; row < this.index.size; row++) {
      const key = this.index.keys[row]!;
      if (seen.has(key)) continue;
      seen.add(key);
      keys.push(key);
      rows.push(row);
    }
    const calibration = this.calibration?.();
    this.lastCalibration = calibration;
    try {
      await writeVectorFile(path, {
        embedderId: this.vectorsId,
        dimension: this.embedder.dimension,
        keys,
        data: this.index.rowMajor(rows),
        learned: this.learned,
        ...(calibration ? { calibration } : {}),
      });
    } catch (error) {
      this.warn(
        new MoeRouterError(
          ErrorCode.STORE_FAILED,
          `Could not write the semantic layer's vector file ${path}: ${(error as Error).message}. Routing goes on; the next start will re-embed. Check the directory and its permissions.`,
          { cause: error },
        ),
      );
    }
  }
}
