import { readFileSync } from "node:fs";
import { endianness } from "node:os";
import { ErrorCode, MoeRouterError, writeFileAtomic } from "@moe-router/core";
import type { SemanticCalibration } from "../types.js";
import { validateCalibration } from "./options.js";

/**
 * The persisted vector file. One file, written atomically (temp file + rename):
 *
 *     "MOESEMV1" | uint32 LE header length | JSON header | zero padding to 4 bytes | float32 LE vectors
 *
 * The header names the embedder id and dimension (a different embedder invalidates the
 * file), the text key of each vector, the learned examples (text + expert) so that
 * corrections survive a restart even though the config does not list them, and (optional, so
 * files of earlier builds stay readable) the calibration in force with what it was fitted on.
 */

const MAGIC = "MOESEMV1";
const VERSION = 1;

/** A learned example as persisted. */
export interface LearnedEntry {
  readonly text: string;
  readonly expert: string;
}

/** The calibration in force when the file was written, and what it is valid for. */
export interface PersistedCalibration {
  /** Hash of the embedder id and the scoring / calibration settings. */
  readonly settings: string;
  /** Hash of the rows (text key, expert, kind): a leave-one-out fit is only valid for them. */
  readonly rows: string;
  readonly source: "fitted" | "exemplars" | "prior";
  readonly samples: number;
  /** Index size when it was fitted (self-calibration refits once the index grows by a fifth). */
  readonly atSize: number;
  readonly parameters: SemanticCalibration;
}

/** What a vector file holds, as read. */
export interface VectorFileContents {
  readonly embedderId: string;
  readonly dimension: number;
  /** Text key -> vector. */
  readonly vectors: Map<string, Float32Array>;
  /** Learned examples by text key, in learning order. */
  readonly learned: ReadonlyMap<string, LearnedEntry>;
  readonly calibration?: PersistedCalibration;
}

/** What to write: vectors row-major in one array, in the order of `keys`. */
export interface VectorFileWrite {
  readonly embedderId: string;
  readonly dimension: number;
  readonly keys: readonly string[];
  /** `keys.length * dimension` floats. */
  readonly data: Float32Array;
  readonly learned: ReadonlyMap<string, LearnedEntry>;
  readonly calibration?: PersistedCalibration;
}

interface Header {
  version: number;
  embedderId: string;
  dimension: number;
  keys: string[];
  learned: { key: string; text: string; expert: string }[];
  calibration?: PersistedCalibration;
}

function corrupt(path: string, why: string, cause?: unknown): MoeRouterError {
  return new MoeRouterError(
    ErrorCode.CORRUPT_FILE,
    `The semantic layer's vector file ${path} is unreadable (${why}); it will be rebuilt by re-embedding the exemplars. Delete the file to silence this warning.`,
    { data: { path }, ...(cause === undefined ? {} : { cause }) },
  );
}

/**
 * Reads a vector file synchronously (once, at start-up, so a sync embedder keeps the first
 * route promise-free). Returns undefined when the file does not exist; throws a
 * MOE_CORRUPT_FILE error when it exists but cannot be trusted.
 */
export function readVectorFile(path: string): VectorFileContents | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Could not read the semantic layer's vector file ${path}: ${(error as Error).message}. Check the path and its permissions.`, { cause: error });
  }
  if (bytes.length < 12 || bytes.toString("latin1", 0, 8) !== MAGIC) throw corrupt(path, "not a moe-router vector file");
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) throw corrupt(path, "truncated header");
  let header: Header;
  try {
    header = JSON.parse(bytes.toString("utf8", 12, 12 + headerLength)) as Header;
  } catch (error) {
    throw corrupt(path, "header is not valid JSON", error);
  }
  if (!header || header.version !== VERSION) throw corrupt(path, `unsupported version ${String(header?.version)}`);
  if (typeof header.embedderId !== "string" || !Number.isInteger(header.dimension) || header.dimension <= 0 || !Array.isArray(header.keys) || !Array.isArray(header.learned)) {
    throw corrupt(path, "header fields are missing or of the wrong type");
  }
  const dataStart = align4(12 + headerLength);
  const expected = dataStart + header.keys.length * header.dimension * 4;
  if (bytes.length !== expected) throw corrupt(path, `expected ${expected} bytes, found ${bytes.length}`);
  const floats = readFloats(bytes, dataStart, header.keys.length * header.dimension);
  for (let i = 0; i < floats.length; i++) {
    // x - x is NaN exactly for NaN and infinities: one cheap pass over every component.
    if (floats[i]! - floats[i]! !== 0) throw corrupt(path, `vector ${Math.floor(i / header.dimension)} holds a non-finite number`);
  }
  const vectors = new Map<string, Float32Array>();
  header.keys.forEach((key, i) => {
    if (typeof key !== "string") throw corrupt(path, `key ${i} is not a string`);
    vectors.set(key, floats.subarray(i * header.dimension, (i + 1) * header.dimension));
  });
  const learned = new Map<string, LearnedEntry>();
  for (const entry of header.learned) {
    if (!entry || typeof entry.key !== "string" || typeof entry.text !== "string" || typeof entry.expert !== "string") throw corrupt(path, "a learned example is malformed");
    learned.set(entry.key, { text: entry.text, expert: entry.expert });
  }
  return { embedderId: header.embedderId, dimension: header.dimension, vectors, learned, ...(readCalibration(header.calibration) ?? {}) };
}

/** Writes a vector file atomically: readers see the old file or the new one, never half of one. */
export async function writeVectorFile(path: string, contents: VectorFileWrite): Promise<void> {
  const keys = contents.keys;
  if (contents.data.length !== keys.length * contents.dimension) throw new RangeError("vector data does not match keys x dimension");
  const header: Header = {
    version: VERSION,
    embedderId: contents.embedderId,
    dimension: contents.dimension,
    keys: [...keys],
    learned: [...contents.learned].map(([key, entry]) => ({ key, text: entry.text, expert: entry.expert })),
    ...(contents.calibration ? { calibration: contents.calibration } : {}),
  };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const dataStart = align4(12 + json.length);
  const bytes = Buffer.alloc(dataStart + keys.length * contents.dimension * 4);
  bytes.write(MAGIC, 0, "latin1");
  bytes.writeUInt32LE(json.length, 8);
  json.copy(bytes, 12);
  const data = contents.data;
  if (endianness() === "LE") {
    // The float32 bytes are already in file order.
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataStart);
  } else {
    for (let i = 0; i < data.length; i++) bytes.writeFloatLE(data[i]!, dataStart + i * 4);
  }
  await writeFileAtomic(path, bytes);
}

/**
 * The persisted calibration, or nothing when it is absent or malformed: it is a cache of a
 * fit the layer can redo, so a bad one is dropped (and refitted), not reported as corruption.
 */
function readCalibration(value: unknown): { calibration: PersistedCalibration } | undefined {
  const c = value as Partial<PersistedCalibration> | undefined;
  if (!c || typeof c !== "object" || typeof c.settings !== "string" || typeof c.rows !== "string") return undefined;
  if (c.source !== "fitted" && c.source !== "exemplars" && c.source !== "prior") return undefined;
  if (!Number.isInteger(c.samples) || !Number.isInteger(c.atSize)) return undefined;
  try {
    validateCalibration(c.parameters);
  } catch {
    return undefined;
  }
  return { calibration: c as PersistedCalibration };
}

function align4(offset: number): number {
  return (offset + 3) & ~3;
}

function readFloats(bytes: Buffer, start: number, count: number): Float32Array {
  if (endianness() === "LE") {
    // A large file's Buffer owns its memory from offset 0: view the floats in place.
    if ((bytes.byteOffset + start) % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset + start, count);
    // Otherwise copy into a fresh aligned buffer: the Buffer may sit at an odd offset of a shared pool.
    const copy = new Uint8Array(count * 4);
    copy.set(bytes.subarray(start, start + count * 4));
    return new Float32Array(copy.buffer);
  }
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = bytes.readFloatLE(start + i * 4);
  return out;
}
