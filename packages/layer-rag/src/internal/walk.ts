/** Directory walking and file chunking for the document indexer. */
import { readdir } from "node:fs/promises";
import { join, posix } from "node:path";

/**
 * Relative POSIX paths of the regular files under `root`, sorted, skipping directories for
 * which `skipDirectory(relativePath)` is true. Symbolic links are not followed (no loops,
 * no escaping the tree).
 */
export async function listFiles(root: string, skipDirectory: (path: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  async function visit(relative: string): Promise<void> {
    const entries = await readdir(join(root, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relative ? posix.join(relative, entry.name) : entry.name;
      if (entry.isDirectory()) {
        if (!skipDirectory(path)) await visit(path);
      } else if (entry.isFile()) {
        out.push(path);
      }
    }
  }
  await visit("");
  return out;
}

/** True when the bytes look binary: a NUL byte in the first 8 KiB (git's heuristic). */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8192);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** A run of lines of one file. */
export interface Chunk {
  /** 1-based first and last line. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Splits text into chunks of `lines` lines, dropping chunks with nothing but whitespace. */
export function chunkLines(text: string, lines: number): Chunk[] {
  const all = text.split(/\r?\n/);
  if (all.length > 0 && all[all.length - 1] === "") all.pop();
  const chunks: Chunk[] = [];
  for (let i = 0; i < all.length; i += lines) {
    const slice = all.slice(i, i + lines);
    const body = slice.join("\n");
    if (body.trim()) chunks.push({ start: i + 1, end: i + slice.length, text: body });
  }
  return chunks;
}
