import { readdir } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";

/** One file of a (possibly rotated) JSONL log. */
export interface LogFile {
  readonly path: string;
  /** "YYYY-MM" for monthly files, "" for the unrotated base name. */
  readonly month: string;
  /** Size-rotation index: 0 for the first file of a month, then 1, 2, ... */
  readonly index: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Names the files of a log: `events.jsonl` -> `events-2026-11.jsonl` (monthly),
 * `events-2026-11.1.jsonl` (next file by size), `events.1.jsonl` (size only).
 */
export class LogFiles {
  readonly dir: string;
  private readonly stem: string;
  private readonly ext: string;
  private readonly pattern: RegExp;

  constructor(path: string) {
    this.dir = dirname(path);
    const name = basename(path);
    this.ext = extname(name) || ".jsonl";
    this.stem = extname(name) ? name.slice(0, -this.ext.length) : name;
    this.pattern = new RegExp(`^${escapeRegExp(this.stem)}(?:-(\\d{4}-\\d{2}))?(?:\\.(\\d+))?${escapeRegExp(this.ext)}$`);
  }

  /** Path of the file for a month ("" = none) and size index. */
  pathFor(month: string, index: number): string {
    return join(this.dir, `${this.stem}${month ? `-${month}` : ""}${index > 0 ? `.${index}` : ""}${this.ext}`);
  }

  /** Parses a file name of this log, or undefined when it belongs to something else. */
  parse(name: string): LogFile | undefined {
    const match = this.pattern.exec(name);
    if (!match) return undefined;
    return { path: join(this.dir, name), month: match[1] ?? "", index: match[2] ? Number(match[2]) : 0 };
  }

  /** Every file of the log, oldest first (the unrotated base file counts as oldest). */
  async list(): Promise<LogFile[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const files = names.map((name) => this.parse(name)).filter((file): file is LogFile => file !== undefined);
    return files.sort((a, b) => (a.month === b.month ? a.index - b.index : a.month < b.month ? -1 : 1));
  }

  /** Highest size index already used for a month, or 0. */
  async highestIndex(month: string): Promise<number> {
    let highest = 0;
    for (const file of await this.list()) if (file.month === month && file.index > highest) highest = file.index;
    return highest;
  }
}
