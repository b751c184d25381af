/**
 * The embedded store's file: one file so that a temp-file-and-rename write replaces vectors
 * and metadata together (two files could be caught half-replaced by a crash).
 *
 * Layout: 8-byte magic "MOERAG" 0x00 0x01 | uint32 LE header length | header JSON (UTF-8) |
 * zero padding to a multiple of 4 | count x dimension float32 LE, row-major.
 * The header carries a SHA-256 of the vector bytes, so a truncated or damaged file is
 * reported instead of silently routing on garbage.
 */
import { createHash } from "node:crypto";
import { endianness } from "node:os";
import { ErrorCode, MoeRouterError, writeFileAtomic } from "@moe-router/core";
import type { ItemSource } from "../types.js";

const MAGIC = Buffer.from([0x4d, 0x4f, 0x45, 0x52, 0x41, 0x47, 0x00, 0x01]);
const FORMAT = "moe-router/rag-index";
const LITTLE_ENDIAN = endianness() === "LE";

/** Metadata of one stored row. */
export interface RowMeta {
  readonly id: string;
  readonly expert: string;
  readonly text: string;
  readonly source: ItemSource;
  readonly path?: string;
  readonly weight: number;
}

/** What an index file holds. */
export interface IndexFileContents {
  readonly embedderId: string | undefined;
  readonly dimension: number;
  readonly rows: readonly RowMeta[];
  /** count x dimension, row-major. */
  readonly vectors: Float32Array;
}

interface Header {
  format: string;
  version: number;
  embedderId?: string;
  dimension: number;
  count: number;
  sha256: string;
  rows: RowMeta[];
}

function vectorBytes(vectors: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
  const out = Buffer.alloc(vectors.length * 4);
  for (let i = 0; i < vectors.length; i++) out.writeFloatLE(vectors[i]!, i * 4);
  return out;
}

/** Serialises the contents (pure; the caller writes the bytes). */
export function encodeIndexFile(contents: IndexFileContents): Buffer {
  const body = vectorBytes(contents.vectors);
  const header: Header = {
    format: FORMAT,
    version: 1,
    ...(contents.embedderId !== undefined ? { embedderId: contents.embedderId } : {}),
    dimension: contents.dimension,
    count: contents.rows.length,
    sha256: createHash("sha256").update(body).digest("hex"),
    rows: contents.rows as RowMeta[],
  };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const padding = Buffer.alloc((4 - ((MAGIC.length + 4 + json.length) % 4)) % 4);
  return Buffer.concat([MAGIC, length, json, padding, body]);
}

/** Parses a file's bytes; throws MOE_CORRUPT_FILE naming the file and the fix. */
export function decodeIndexFile(bytes: Buffer, path: string): IndexFileContents {
  const corrupt = (why: string): never => {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `The RAG index ${path} is unreadable (${why}). Delete it and re-index (moe-router index <dir> --owners FILE); learned tasks in it are lost.`, {
      data: { path },
    });
  };
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return corrupt("not a moe-router RAG index file");
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) return corrupt("truncated header");
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length + 4, headerEnd).toString("utf8")) as Header;
  } catch {
    return corrupt("header is not valid JSON");
  }
  if (header.format !== FORMAT || header.version !== 1) return corrupt(`format ${String(header.format)} version ${String(header.version)} is not supported`);
  if (!Number.isInteger(header.dimension) || header.dimension < 1 || !Array.isArray(header.rows) || header.rows.length !== header.count) {
    return corrupt("header fields are inconsistent");
  }
  const start = headerEnd + ((4 - (headerEnd % 4)) % 4);
  const body = bytes.subarray(start);
  if (body.length !== header.count * header.dimension * 4) return corrupt(`expected ${header.count * header.dimension * 4} bytes of vectors, found ${body.length}`);
  if (createHash("sha256").update(body).digest("hex") !== header.sha256) return corrupt("vector checksum mismatch");
  const vectors = new Float32Array(header.count * header.dimension);
  if (LITTLE_ENDIAN) new Uint8Array(vectors.buffer).set(body);
  else for (let i = 0; i < vectors.length; i++) vectors[i] = body.readFloatLE(i * 4);
  return { embedderId: header.embedderId, dimension: header.dimension, rows: header.rows, vectors };
}

/** Writes the index file atomically and durably (temporary file, fsync, rename). */
export async function writeIndexFile(path: string, bytes: Buffer): Promise<void> {
  try {
    await writeFileAtomic(path, bytes, { fsync: true });
  } catch (error) {
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot write the RAG index ${path}: ${(error as Error).message}. Check the directory exists and is writable.`, { cause: error });
  }
}
