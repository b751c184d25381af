import { open, type FileHandle } from "node:fs/promises";

/** A run of complete lines from a file, in file order; a reverse reader walks it from the end. */
export interface LineChunk {
  readonly lines: string[];
  /** True when the file's last line had no newline (torn by a crash, or being written); it is left out. */
  readonly tornTail: boolean;
}

const NEWLINE = 10;

async function readFully(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) {
      // The file shrank under us: treat the missing bytes as empty lines.
      buffer.fill(NEWLINE, filled, length);
      return;
    }
    filled += bytesRead;
  }
}

/**
 * Reads a file backwards in big chunks and yields its complete lines, newest chunk first.
 * Decoding a whole chunk at once and splitting it is much faster than per-line reads, and
 * the next chunk is read while the caller parses this one. Bytes of a line cut by a chunk
 * boundary are carried to the next (earlier) chunk, so a multi-byte character is never
 * split. With `needle`, chunks that do not contain it are skipped without decoding (a
 * cheap scan for one event id).
 */
export async function* reverseLineChunks(path: string, chunkBytes: number, needle?: Buffer): AsyncGenerator<LineChunk> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  let pending: Promise<void> | undefined;
  try {
    // A snapshot of the size: lines appended while we read belong to the next read.
    let position = (await handle.stat()).size;
    let carry: Buffer | undefined;
    let atEnd = true;
    let buffer = Buffer.allocUnsafe(Math.min(chunkBytes, position));
    let readLength = 0;
    const startRead = (): Promise<void> => {
      readLength = Math.min(chunkBytes, position);
      position -= readLength;
      const needed = readLength + (carry?.length ?? 0);
      // The old buffer is free again once its chunk is decoded, so it is reused.
      if (buffer.length < needed) buffer = Buffer.allocUnsafe(Math.max(needed, chunkBytes));
      return readFully(handle, buffer, readLength, position);
    };
    pending = position > 0 ? startRead() : undefined;
    while (pending) {
      await pending;
      pending = undefined;
      const total = readLength + (carry?.length ?? 0);
      if (carry) carry.copy(buffer, readLength);
      let start = 0;
      if (position > 0) {
        const newline = buffer.indexOf(NEWLINE);
        if (newline === -1 || newline >= readLength) {
          carry = Buffer.from(buffer.subarray(0, total));
          pending = startRead();
          continue;
        }
        carry = Buffer.from(buffer.subarray(0, newline));
        start = newline + 1;
      } else {
        carry = undefined;
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
      let lines: string[] = [];
      const found = needle ? buffer.indexOf(needle, start) : start;
      if (end > start && found !== -1 && found + (needle?.length ?? 0) <= end) {
        lines = buffer.toString("utf8", start, end).split("\n");
        if (lines[lines.length - 1] === "") lines.pop();
      }
      if (position > 0) pending = startRead();
      if (lines.length > 0 || tornTail) yield { lines, tornTail };
    }
  } finally {
    // A reader that stops early may leave a read-ahead in flight: let it land first.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}
