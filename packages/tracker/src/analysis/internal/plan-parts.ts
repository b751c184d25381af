import { open, stat } from "node:fs/promises";
import { LogFiles } from "../../internal/log-files.js";
import type { Part, Segment } from "./part-reader.js";

const NEWLINE = 10;

/** Offset just after the first newline at or after `offset` in the file, or the file's size. */
async function nextLineStart(path: string, offset: number, size: number): Promise<number> {
  if (offset <= 0) return 0;
  const handle = await open(path, "r");
  try {
    const window = Buffer.allocUnsafe(64 * 1024);
    // The byte before `offset` ends a line when it is a newline: `offset` is then a line start.
    let position = offset - 1;
    while (position < size) {
      const { bytesRead } = await handle.read(window, 0, window.length, position);
      if (bytesRead === 0) break;
      const newline = window.subarray(0, bytesRead).indexOf(NEWLINE);
      if (newline !== -1) return position + newline + 1;
      position += bytesRead;
    }
    return size;
  } finally {
    await handle.close();
  }
}

/**
 * Splits a (possibly rotated) log into `count` parts of about equal bytes, cut at line starts,
 * oldest part first. Sizes are taken now: lines appended while reading belong to the next read.
 */
export async function planParts(path: string, count: number): Promise<{ parts: Part[]; bytes: number }> {
  const files = await new LogFiles(path).list();
  const sized: { path: string; size: number }[] = [];
  for (const file of files) {
    try {
      sized.push({ path: file.path, size: (await stat(file.path)).size });
    } catch (error) {
      // A file rotated away between listing and stat: nothing of it to read.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  const bytes = sized.reduce((sum, file) => sum + file.size, 0);
  if (count <= 1 || bytes === 0) {
    return { parts: [{ index: 0, segments: sized.map((file) => ({ path: file.path, from: 0, to: file.size })) }], bytes };
  }
  // Global cut offsets, each moved to the next line start of the file it falls in.
  const cuts: { file: number; offset: number }[] = [];
  for (let i = 1; i < count; i++) {
    let target = Math.floor((bytes * i) / count);
    let file = 0;
    while (file < sized.length - 1 && target >= sized[file]!.size) target -= sized[file++]!.size;
    cuts.push({ file, offset: await nextLineStart(sized[file]!.path, target, sized[file]!.size) });
  }
  const parts: Part[] = [];
  let from = { file: 0, offset: 0 };
  for (const to of [...cuts, { file: sized.length - 1, offset: sized[sized.length - 1]!.size }]) {
    const segments: Segment[] = [];
    for (let file = from.file; file <= to.file; file++) {
      const start = file === from.file ? from.offset : 0;
      const end = file === to.file ? to.offset : sized[file]!.size;
      if (end > start) segments.push({ path: sized[file]!.path, from: start, to: end });
    }
    parts.push({ index: parts.length, segments });
    from = to;
  }
  return { parts, bytes };
}
