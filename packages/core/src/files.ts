import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** fsync the data before the rename, so it survives a power loss. Default false. */
  readonly fsync?: boolean;
}

/**
 * Writes `data` to `path` so that readers see either the old file or the whole new one:
 * parent directories are created, the data goes to a unique temporary file beside it, which
 * is then renamed over `path`. On failure the temporary file is removed and the error is
 * rethrown for the caller to wrap (layers persisting indexes, vectors, weights, thresholds).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[], options: WriteFileAtomicOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const handle = await open(temporary, "w");
    try {
      const pieces = typeof data === "string" ? [Buffer.from(data, "utf8")] : data instanceof Uint8Array ? [data] : data;
      for (const piece of pieces) {
        // Loop on short writes: one write is capped near 2 GiB on Linux.
        let done = 0;
        while (done < piece.length) done += (await handle.write(piece, done, piece.length - done)).bytesWritten;
      }
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
