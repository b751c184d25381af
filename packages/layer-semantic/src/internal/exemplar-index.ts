import { SparseLists } from "./sparse-lists.js";

/**
 * Density above which the inverted lists are not kept: they would cost more memory than the
 * columns (8 bytes per entry against 4) and save little work. Dense embedders (USE,
 * transformers: 100% non-zero) keep the column scan.
 */
export const MAX_LIST_DENSITY = 0.3;

/** Where a row came from: a configured exemplar, an expert's description, or learn()/fit(). */
export type RowKind = "exemplar" | "description" | "learned";

/** A row to append. */
export interface NewRow {
  readonly text: string;
  readonly key: string;
  readonly kind: RowKind;
  readonly expert: string;
  readonly vector: ArrayLike<number>;
}

/**
 * The in-memory exemplar store: L2-normalised vectors (so a cosine is a dot product) in one
 * Float32Array laid out column-major (`columns[d * capacity + row]`), plus per-row text, cache
 * key, kind and expert, and per-expert vector sums for centroid scoring.
 *
 * Column-major because routing computes all rows' similarities at once: for each non-zero
 * component of the query it adds one contiguous column, so sparse queries (hashed n-grams use
 * ~10% of their dimensions) skip most of the work and dense ones stream memory linearly.
 */
export class ExemplarIndex {
  readonly dimension: number;
  /** Column-major vectors, `dimension * capacity` long; rows past `size` are unused. */
  columns: Float32Array;
  /** Rows the columns have room for. */
  capacity: number;
  size = 0;
  readonly texts: string[] = [];
  readonly keys: string[] = [];
  readonly kinds: RowKind[] = [];
  /** Expert id of each row. */
  readonly labels: number[] = [];
  /** Expert names by id; ids are never reused, so arrays indexed by id stay valid. */
  readonly experts: string[] = [];
  /** Rows per expert id. */
  readonly counts: number[] = [];
  /** Sum of the rows' vectors per expert id (for centroids). */
  readonly sums: Float64Array[] = [];
  private readonly ids = new Map<string, number>();
  /** Inverted lists of the non-zero components, built on first search, kept up to date by appends. */
  private lists: SparseLists | undefined;
  /** Set once the vectors proved too dense for lists (until the vectors are replaced). */
  private dense = false;
  private readonly rowsByKey = new Map<string, number[]>();

  constructor(dimension: number, capacity = 64) {
    this.dimension = dimension;
    this.capacity = Math.max(1, capacity);
    this.columns = new Float32Array(this.capacity * dimension);
  }

  /** Id of an expert, registering it when new. */
  expertId(expert: string): number {
    let id = this.ids.get(expert);
    if (id === undefined) {
      id = this.experts.length;
      this.ids.set(expert, id);
      this.experts.push(expert);
      this.counts.push(0);
      this.sums.push(new Float64Array(this.dimension));
    }
    return id;
  }

  /** Id of a known expert, or undefined. */
  findExpert(expert: string): number | undefined {
    return this.ids.get(expert);
  }

  /** Rows holding the text with this cache key (usually zero or one). */
  rowsOf(key: string): readonly number[] {
    return this.rowsByKey.get(key) ?? [];
  }

  /** A copy of the stored (normalised) vector of a row. */
  vector(row: number): Float32Array {
    const out = new Float32Array(this.dimension);
    for (let i = 0; i < this.dimension; i++) out[i] = this.columns[i * this.capacity + row]!;
    return out;
  }

  /** Appends one row; the vector is copied and L2-normalised. Returns the row number. */
  add(text: string, key: string, kind: RowKind, expert: string, vector: ArrayLike<number>): number {
    this.addMany([{ text, key, kind, expert, vector }]);
    return this.size - 1;
  }

  /**
   * Appends rows in bulk: capacity grows once, and only the non-zero components are written
   * (the columns past `size` are zeros; hashed vectors are ~9% non-zero). Row by row, each
   * write lands in one of `dimension` cache lines that the next rows write next to, so no
   * transposition buffer is needed. The search lists, when up to date, are extended here too.
   */
  addMany(rows: readonly NewRow[]): void {
    const dimension = this.dimension;
    for (const row of rows) {
      if (row.vector.length !== dimension) throw new RangeError(`vector has length ${row.vector.length}, the index expects ${dimension}`);
    }
    let capacity = this.capacity;
    while (capacity < this.size + rows.length) capacity *= 2;
    if (capacity !== this.capacity) this.grow(capacity);
    if (!this.dense) this.lists ??= new SparseLists(dimension);
    const lists = this.lists !== undefined && this.lists.size === this.size ? this.lists : undefined;
    // Tiles of 64 rows are gathered dimension-major, then each dimension's 64 values are
    // copied into its column in one go: writing rows straight into the columns would touch
    // one cache line per component, and with a power-of-two capacity those lines all fall
    // into the same cache sets (measured 3x slower at 50,000 rows).
    const tile = 64;
    const buffer = new Float32Array(dimension * tile);
    const touched = new Uint8Array(dimension);
    for (let first = 0; first < rows.length; first += tile) {
      const count = Math.min(tile, rows.length - first);
      const start = this.size + first;
      for (let j = 0; j < count; j++) {
        const { vector, expert } = rows[first + j]!;
        let squared = 0;
        for (let i = 0; i < dimension; i++) squared += vector[i]! * vector[i]!;
        const scale = squared > 0 ? 1 / Math.sqrt(squared) : 0;
        const id = this.expertId(expert);
        const sum = this.sums[id]!;
        for (let i = 0; i < dimension; i++) {
          const component = vector[i]!;
          if (component === 0) continue;
          const value = Math.fround(component * scale);
          if (value === 0) continue;
          buffer[i * tile + j] = value;
          touched[i] = 1;
          sum[i]! += value;
          lists?.push(i, start + j, value);
        }
        this.counts[id]!++;
      }
      for (let i = 0; i < dimension; i++) {
        if (touched[i] === 0) continue;
        this.columns.set(buffer.subarray(i * tile, i * tile + count), i * capacity + start);
        buffer.fill(0, i * tile, i * tile + tile);
        touched[i] = 0;
      }
    }
    for (const row of rows) {
      const number = this.size++;
      this.texts.push(row.text);
      this.keys.push(row.key);
      this.kinds.push(row.kind);
      this.labels.push(this.expertId(row.expert));
      const sameText = this.rowsByKey.get(row.key);
      if (sameText) sameText.push(number);
      else this.rowsByKey.set(row.key, [number]);
    }
    if (lists !== undefined) lists.size = this.size;
    this.checkDensity();
  }

  /**
   * The inverted lists over all rows, or undefined when the vectors are too dense for them
   * (then search scans the columns). Rows appended since the last search (learn(), a
   * correction of a new text) are indexed now, so a search always sees every row; relabelled
   * rows need nothing, since the lists hold no labels.
   */
  searchLists(): SparseLists | undefined {
    if (this.dense) return undefined;
    this.lists ??= new SparseLists(this.dimension);
    if (this.lists.size < this.size) this.lists.append(this.columns, this.capacity, this.size);
    this.checkDensity();
    return this.lists;
  }

  /** Drops the lists once the vectors prove too dense for them (see MAX_LIST_DENSITY). */
  private checkDensity(): void {
    if (this.lists !== undefined && this.lists.density > MAX_LIST_DENSITY) {
      this.lists = undefined;
      this.dense = true;
    }
  }

  /** Moves a row to another expert (a correction); no re-embedding needed. */
  relabel(row: number, expert: string, kind: RowKind = "learned"): void {
    const from = this.labels[row]!;
    const to = this.expertId(expert);
    this.kinds[row] = kind;
    if (from === to) return;
    this.addToSum(from, row, -1);
    this.labels[row] = to;
    this.addToSum(to, row, 1);
  }

  /**
   * The given rows' vectors, row-major in one array (for the vector file). Transposes in
   * tiles so both the column reads and the row writes stay within cache lines.
   */
  rowMajor(rows: readonly number[]): Float32Array {
    const dimension = this.dimension;
    const out = new Float32Array(rows.length * dimension);
    const tile = 64;
    for (let first = 0; first < rows.length; first += tile) {
      const last = Math.min(rows.length, first + tile);
      for (let i = 0; i < dimension; i++) {
        const column = i * this.capacity;
        for (let j = first; j < last; j++) out[j * dimension + i] = this.columns[column + rows[j]!]!;
      }
    }
    return out;
  }

  /** Replaces a row's vector (after the embedder changed), keeping its text and expert. */
  replaceVector(row: number, vector: ArrayLike<number>): void {
    const id = this.labels[row]!;
    this.addToSum(id, row, -1);
    let squared = 0;
    for (let i = 0; i < this.dimension; i++) squared += vector[i]! * vector[i]!;
    const scale = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    for (let i = 0; i < this.dimension; i++) this.columns[i * this.capacity + row] = vector[i]! * scale;
    this.addToSum(id, row, 1);
    // The lists hold the old vector: rebuild them (and re-judge density) on the next search.
    this.lists = undefined;
    this.dense = false;
  }

  /** Squared norm of a stored row: 1, or 0 for a text the embedder found no feature in. */
  normSquared(row: number): number {
    let squared = 0;
    for (let i = 0; i < this.dimension; i++) squared += this.columns[i * this.capacity + row]! ** 2;
    return squared;
  }

  /** Room for `capacity` rows; columns are re-laid at the new stride. */
  private grow(capacity: number): void {
    const grown = new Float32Array(capacity * this.dimension);
    for (let i = 0; i < this.dimension; i++) grown.set(this.columns.subarray(i * this.capacity, i * this.capacity + this.size), i * capacity);
    this.columns = grown;
    this.capacity = capacity;
  }

  private addToSum(id: number, row: number, sign: 1 | -1): void {
    const sum = this.sums[id]!;
    for (let i = 0; i < this.dimension; i++) sum[i]! += sign * this.columns[i * this.capacity + row]!;
    this.counts[id]! += sign;
  }
}
