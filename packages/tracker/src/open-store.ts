import { isAbsolute, resolve } from "node:path";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { jsonlStore } from "./jsonl-store.js";
import { postgresStore } from "./postgres-store.js";
import type { EventStore, RotationOptions } from "./types.js";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Directory that relative paths resolve against. Default: process.cwd(). */
  readonly cwd?: string;
}

const UNITS: Record<string, number> = { "": 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

function invalidSpec(spec: string, why: string): MoeRouterError {
  return new MoeRouterError(
    ErrorCode.INVALID_CONFIG,
    `Store "${spec}": ${why}. Use "jsonl:<path>[?rotate=monthly&maxBytes=100MB]", a path ending in .jsonl, or "postgres://user@host:5432/db[?tablePrefix=moe_router]".`,
  );
}

/** "100MB" -> 104857600. */
function parseBytes(spec: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) throw invalidSpec(spec, `maxBytes "${text}" is not a size such as 104857600 or 100MB`);
  return Math.floor(Number(match[1]) * unit);
}

function jsonlFromSpec(spec: string, rest: string, cwd: string): EventStore {
  const [pathPart, query = ""] = rest.split("?", 2) as [string, string?];
  if (pathPart.trim() === "") throw invalidSpec(spec, "the path is empty");
  const params = new URLSearchParams(query);
  const rotate: { monthly?: boolean; maxBytes?: number } = {};
  for (const [key, value] of params) {
    if (key === "rotate") {
      for (const part of value.split(",")) {
        if (part === "monthly") rotate.monthly = true;
        else if (part !== "none" && part !== "") throw invalidSpec(spec, `rotate="${part}" is unknown (use rotate=monthly)`);
      }
    } else if (key === "maxBytes") {
      rotate.maxBytes = parseBytes(spec, value);
    } else {
      throw invalidSpec(spec, `unknown parameter "${key}" (known: rotate, maxBytes)`);
    }
  }
  const path = isAbsolute(pathPart) ? pathPart : resolve(cwd, pathPart);
  const rotation: RotationOptions | undefined = rotate.monthly || rotate.maxBytes ? rotate : undefined;
  return jsonlStore({ path, ...(rotation ? { rotate: rotation } : {}) });
}

async function postgresFromSpec(spec: string): Promise<EventStore> {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw invalidSpec(spec, "it is not a valid URL");
  }
  const tablePrefix = url.searchParams.get("tablePrefix") ?? undefined;
  url.searchParams.delete("tablePrefix");
  return postgresStore({ connectionString: url.toString(), ...(tablePrefix ? { tablePrefix } : {}) });
}

/**
 * Opens a store from a spec string, as written in a config file or on the command line:
 * `"jsonl:.moe-router/events.jsonl?rotate=monthly&maxBytes=100MB"`, `"logs/events.jsonl"`,
 * or `"postgres://user@127.0.0.1:5432/db"`.
 * @throws MoeRouterError INVALID_CONFIG for a spec it cannot read; what the store factory throws otherwise.
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<EventStore> {
  if (typeof spec !== "string" || spec.trim() === "") throw invalidSpec(String(spec), "the spec is empty");
  const cwd = options.cwd ?? process.cwd();
  const trimmed = spec.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return postgresFromSpec(trimmed);
  if (trimmed.startsWith("jsonl:")) return jsonlFromSpec(trimmed, trimmed.slice("jsonl:".length), cwd);
  if (/\.jsonl(\?.*)?$/i.test(trimmed)) return jsonlFromSpec(trimmed, trimmed, cwd);
  throw invalidSpec(trimmed, "the kind of store is not recognised");
}
