import { open } from "node:fs/promises";

/** A run of whole lines in `buffer[start, end)`, each ending with "\n", in file order. */
export interface ByteChunk {
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
  /** True when the file's last line had no newline (torn by a crash, or being written); it is left out. */
  readonly tornTail: boolean;
}

const NEWLINE = 10;

/**
 * Reads `file[from, to)` backwards in big chunks of raw bytes, newest chunk first; lines are
 * decoded one by one by the caller, so a chunk is never split into an array of strings. A
 * line cut by a chunk boundary is carried into the next (earlier) chunk. `from` must be the
 * start of a line; `to` defaults to the file's size when reading starts (lines appended
 * meanwhile belong to the next read). A file that does not exist yields nothing.
 */
export async function* reverseByteChunks(path: string, chunkBytes: number, from = 0, to?: number): AsyncGenerator<ByteChunk> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    let position = Math.min(to ?? size, size);
    // Only the very end of the file can hold a torn line; a range ending earlier ends on a line.
    let atEnd = position === size;
    let carry = Buffer.alloc(0);
    while (position > from) {
      const readLength = Math.min(chunkBytes, position - from);
      position -= readLength;
      // A fresh buffer per chunk: the consumer may still hold strings decoded from the last one.
      const buffer = Buffer.allocUnsafe(readLength + carry.length);
      let filled = 0;
      while (filled < readLength) {
        const { bytesRead } = await handle.read(buffer, filled, readLength - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      carry.copy(buffer, readLength);
      const total = readLength + carry.length;
      let start = 0;
      if (position > from) {
        const newline = buffer.indexOf(NEWLINE);
        if (newline === -1) {
          // No complete line yet: keep everything for the next (earlier) chunk.
          carry = buffer.subarray(0, total);
          continue;
        }
        carry = Buffer.from(buffer.subarray(0, newline + 1));
        start = newline + 1;
      } else {
        carry = Buffer.alloc(0);
      }
      let end = total;
      let tornTail = false;
      if (atEnd) {
        atEnd = false;
        if (end > start && buffer[end - 1] !== NEWLINE) {
          tornTail = true;
          const lastNewline = buffer.lastIndexOf(NEWLINE, end - 1);
          end = lastNewline >= start ? lastNewline + 1 : start;
        }
      }
      if (end > start || tornTail) yield { buffer, start, end, tornTail };
    }
  } finally {
    await handle.close();
  }
}
