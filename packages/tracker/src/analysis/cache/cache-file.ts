import { createHash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { writeFileAtomic } from "@moe-router/core";
import { basename, dirname, join } from "node:path";
import { columnArray, type ColumnArray } from "./columns.js";
import { SCHEMA, TABLE_OF, type ColumnName, type FileTable, type RowCounts, type Segment } from "./segment.js";

/** Bumped whenever the file layout or the meaning of a column changes: other versions are rebuilt. */
export const CACHE_FORMAT_VERSION = 3;
const MAGIC = "MOEACOL\n";
const SAMPLE_BYTES = 4096;
/** Blocks sampled between the first and the last 4 KB, so that most in-place edits are seen too. */
const MIDDLE_SAMPLES = 8;

/** What a cache remembers about its log file, to tell whether the log only grew since. */
export interface Fingerprint {
  /** Size of the log when the cache was written (may exceed `covered` by a torn last line). */
  readonly size: number;
  /** Modification time (whole ms) then: same size but another time means rewritten in place. */
  readonly mtimeMs: number;
  readonly ino: number;
  /** SHA-1 of the first 4 KB, 8 evenly spaced 4 KB blocks and the 4 KB before `covered`. */
  readonly hash: string;
}

interface Header {
  readonly format: string;
  readonly version: number;
  readonly log: string;
  readonly covered: number;
  readonly fingerprint: Fingerprint;
  readonly oddTimes: boolean;
  readonly dict: string[];
  readonly exotic: string[];
  readonly rows: RowCounts;
  /** Byte offset of each column in the data section (8-aligned). */
  readonly offsets: Record<string, number>;
  readonly dataBytes: number;
  /** SHA-1 of the data section: a damaged cache is rebuilt, never believed. */
  readonly dataHash: string;
}

/** Where the cache of a log file lives: `.analysis-cache/<name>.cols` beside it. */
export function cachePathFor(logPath: string): string {
  return join(dirname(logPath), ".analysis-cache", `${basename(logPath)}.cols`);
}

async function readAt(handle: FileHandle, buffer: Uint8Array, position: number): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/** Hashes sampled blocks of `log[0, covered)` (see {@link Fingerprint.hash}). */
export async function sampleHash(handle: FileHandle, covered: number): Promise<string> {
  const hash = createHash("sha1");
  const starts = new Set<number>([0, Math.max(0, covered - SAMPLE_BYTES)]);
  for (let i = 1; i <= MIDDLE_SAMPLES; i++) starts.add(Math.max(0, Math.floor((covered * i) / (MIDDLE_SAMPLES + 1)) - SAMPLE_BYTES / 2));
  const block = Buffer.allocUnsafe(SAMPLE_BYTES);
  for (const start of [...starts].sort((a, b) => a - b)) {
    const length = Math.min(SAMPLE_BYTES, covered - start);
    if (length <= 0) continue;
    const read = await readAt(handle, block.subarray(0, length), start);
    hash.update(`${start}:`).update(block.subarray(0, read));
  }
  return hash.digest("hex");
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

function columnBytes(name: ColumnName, rows: number): number {
  return rows * columnArray(SCHEMA[name], 0).BYTES_PER_ELEMENT;
}

/** A cache file as read back. */
export interface LoadedCache {
  readonly table: FileTable;
  readonly fingerprint: Fingerprint;
}

/**
 * Reads a cache file. Returns undefined when it is missing, of another format version, for
 * another log, truncated or damaged (the caller then rebuilds): never throws for its content.
 */
export async function readCache(cachePath: string, logPath: string): Promise<LoadedCache | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(cachePath, "r");
  } catch {
    return undefined;
  }
  try {
    const size = (await handle.stat()).size;
    if (size < 12) return undefined;
    const prefix = Buffer.alloc(12);
    await readAt(handle, prefix, 0);
    if (prefix.toString("latin1", 0, 8) !== MAGIC) return undefined;
    const headerBytes = prefix.readUInt32LE(8);
    if (12 + headerBytes > size) return undefined;
    const headerBuffer = Buffer.alloc(headerBytes);
    await readAt(handle, headerBuffer, 12);
    const header = JSON.parse(headerBuffer.toString("utf8")) as Header;
    if (header.format !== MAGIC.trim() || header.version !== CACHE_FORMAT_VERSION || header.log !== basename(logPath)) return undefined;
    const dataStart = align8(12 + headerBytes);
    if (dataStart + header.dataBytes !== size) return undefined;
    // One ArrayBuffer for all columns (views, no copies), 8-aligned for the float64 columns.
    const data = new ArrayBuffer(header.dataBytes);
    if ((await readAt(handle, new Uint8Array(data), dataStart)) !== header.dataBytes) return undefined;
    if (createHash("sha1").update(new Uint8Array(data)).digest("hex") !== header.dataHash) return undefined;
    const columns = {} as Record<ColumnName, ColumnArray>;
    for (const name of Object.keys(SCHEMA) as ColumnName[]) {
      const rows = header.rows[TABLE_OF[name[0]!]!];
      const offset = header.offsets[name];
      if (typeof offset !== "number" || offset % 8 !== 0 || offset + columnBytes(name, rows) > header.dataBytes) return undefined;
      columns[name] = columnArray(SCHEMA[name], rows, data, offset);
    }
    const segment: Segment = { rows: header.rows, columns, exotic: header.exotic };
    const table: FileTable = { path: logPath, segments: [segment], dict: header.dict, covered: header.covered, oddTimes: header.oddTimes };
    return { table, fingerprint: header.fingerprint };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file table (all its segments, concatenated) to `cachePath` atomically: a temporary
 * file renamed over the old cache, so a reader sees the old cache or the new one, never half.
 * @throws the file system's error (the caller treats a failed write as "no cache").
 */
export async function writeCache(cachePath: string, table: FileTable, fingerprint: Fingerprint): Promise<void> {
  const rows: RowCounts = { decisions: 0, attempts: 0, outcomes: 0, inline: 0, bad: 0 };
  const exotic: string[] = [];
  for (const segment of table.segments) {
    for (const key of Object.keys(rows) as (keyof RowCounts)[]) rows[key] += segment.rows[key];
    exotic.push(...segment.exotic);
  }
  const offsets: Record<string, number> = {};
  let dataBytes = 0;
  const names = Object.keys(SCHEMA) as ColumnName[];
  for (const name of names) {
    offsets[name] = dataBytes;
    dataBytes = align8(dataBytes + columnBytes(name, rows[TABLE_OF[name[0]!]!]));
  }
  const pieces: Uint8Array[] = [];
  const dataHash = createHash("sha1");
  let written = 0;
  for (const name of names) {
    const target = offsets[name]!;
    if (written < target) {
      const pad = new Uint8Array(target - written);
      pieces.push(pad);
      dataHash.update(pad);
      written = target;
    }
    for (const segment of table.segments) {
      const values = segment.columns[name];
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      pieces.push(bytes);
      dataHash.update(bytes);
      written += bytes.length;
    }
  }
  if (written < dataBytes) {
    const pad = new Uint8Array(dataBytes - written);
    pieces.push(pad);
    dataHash.update(pad);
  }
  const header: Header = {
    format: MAGIC.trim(),
    version: CACHE_FORMAT_VERSION,
    log: basename(table.path),
    covered: table.covered,
    fingerprint,
    oddTimes: table.oddTimes,
    dict: table.dict,
    exotic,
    rows,
    offsets,
    dataBytes,
    dataHash: dataHash.digest("hex"),
  };
  const headerBuffer = Buffer.from(JSON.stringify(header), "utf8");
  const prefix = Buffer.alloc(align8(12 + headerBuffer.length));
  prefix.write(MAGIC, 0, "latin1");
  prefix.writeUInt32LE(headerBuffer.length, 8);
  headerBuffer.copy(prefix, 12);
  await writeFileAtomic(cachePath, [prefix, ...pieces]);
}
