/** Growable typed-array columns and the string dictionary of the analysis cache. */

/** The typed arrays a column may use. */
export type ColumnArray = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/** Names of the column element types, as stored in the cache file's header. */
export type ColumnType = "f64" | "u32" | "i32" | "u16" | "u8";

const CONSTRUCTORS = { f64: Float64Array, u32: Uint32Array, i32: Int32Array, u16: Uint16Array, u8: Uint8Array } as const;

/** Creates a typed array of a column type, empty or over `buffer[offset, offset + length)`. */
export function columnArray(type: ColumnType, length: number, buffer?: ArrayBuffer, offset = 0): ColumnArray {
  const Constructor = CONSTRUCTORS[type];
  return buffer ? new Constructor(buffer, offset, length) : new Constructor(length);
}

/**
 * An append-only column. Grows by 1.25x (not 2x) so that building the cache of a big log
 * stays close to the final size in memory.
 */
export class Column<A extends ColumnArray> {
  length = 0;

  constructor(
    readonly type: ColumnType,
    public data: A,
  ) {}

  /** Appends one value. */
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = columnArray(this.type, Math.max(1024, Math.ceil(this.data.length * 1.25))) as A;
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The filled part (a view, no copy). */
  values(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

/** Creates an empty column of `type` with room for `capacity` values. */
export function column<T extends ColumnType>(type: T, capacity: number): Column<InstanceType<(typeof CONSTRUCTORS)[T]>> {
  return new Column(type, columnArray(type, Math.max(16, capacity)) as InstanceType<(typeof CONSTRUCTORS)[T]>);
}

/** Id meaning "no string" (absent, or not a string) in a u16 dictionary column. */
export const NONE = 0xffff;

/** Thrown when a log holds more distinct strings than a u16 column can name: not cacheable. */
export class DictionaryFull extends Error {}

/** Strings (expert, layer, error code, reason, experiment names) numbered in order of first use. */
export class Dictionary {
  private readonly ids = new Map<string, number>();

  constructor(readonly strings: string[] = []) {
    strings.forEach((text, id) => this.ids.set(text, id));
  }

  /** The id of `text`, adding it when new. */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.strings.length;
      if (id >= NONE) throw new DictionaryFull(`more than ${NONE} distinct names`);
      this.strings.push(text);
      this.ids.set(text, id);
    }
    return id;
  }
}
