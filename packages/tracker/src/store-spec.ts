/**
 * The store-spec grammar, owned here: what a `tracking.store`, `--store` or `thresholdsStore`
 * string means. `openStore` (events), the tuner's `openThresholdsStore`, the router's
 * thresholds source and the CLI's `analyze` all read specs through {@link parseStoreSpec}.
 * This module imports no store, so callers that only need to read a spec (the router at
 * start-up) load it on its own through `@moe-router/tracker/rules`.
 */
import { isAbsolute, resolve } from "node:path";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { RotationOptions } from "./types.js";

/** What a store spec names. */
export type StoreSpec =
  /** A JSONL event log (`jsonl:<path>[?rotate=monthly&maxBytes=100MB]`, or a path ending in .jsonl). */
  | { readonly kind: "jsonl"; readonly path: string; readonly rotate?: RotationOptions }
  /** A file of another kind (a thresholds file: any path). */
  | { readonly kind: "file"; readonly path: string }
  /** A PostgreSQL database (`postgres://...[?tablePrefix=moe_router]`); `connectionString` is without `tablePrefix`. */
  | { readonly kind: "postgres"; readonly connectionString: string; readonly tablePrefix?: string };

/** Options of {@link parseStoreSpec}. */
export interface ParseStoreSpecOptions {
  /** Directory that relative paths resolve against. Default: process.cwd(). */
  readonly cwd?: string;
  /**
   * What the spec is for: `"events"` (default) accepts JSONL logs and PostgreSQL;
   * `"thresholds"` accepts any file path and PostgreSQL.
   */
  readonly purpose?: "events" | "thresholds";
}

/** The forms an event-store spec may take, for messages. */
export const EVENT_STORE_FORMS = '"jsonl:<path>[?rotate=monthly&maxBytes=100MB]", a path ending in .jsonl, or "postgres://user@host:5432/db[?tablePrefix=moe_router]"';

const POSTGRES = /^postgres(ql)?:\/\//i;
const UNITS: Record<string, number> = { "": 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

/** Is the spec a PostgreSQL URL (rather than a file)? */
export function isDatabaseSpec(spec: string): boolean {
  return POSTGRES.test(spec.trim());
}

/** "postgres://user:secret@host/db" -> "postgres://user@host/db": never print passwords. */
export function redactConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = "";
    return url.toString();
  } catch {
    return "PostgreSQL";
  }
}

function invalidEventSpec(spec: string, why: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `Store "${spec}": ${why}. Use ${EVENT_STORE_FORMS}.`);
}

/** "100MB" -> 104857600. */
function parseBytes(spec: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0) throw invalidEventSpec(spec, `maxBytes "${text}" is not a size such as 104857600 or 100MB`);
  return Math.floor(Number(match[1]) * unit);
}

function jsonlSpec(spec: string, rest: string, cwd: string): StoreSpec {
  const [pathPart, query = ""] = rest.split("?", 2) as [string, string?];
  if (pathPart.trim() === "") throw invalidEventSpec(spec, "the path is empty");
  const rotate: { monthly?: boolean; maxBytes?: number } = {};
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === "rotate") {
      for (const part of value.split(",")) {
        if (part === "monthly") rotate.monthly = true;
        else if (part !== "none" && part !== "") throw invalidEventSpec(spec, `rotate="${part}" is unknown (use rotate=monthly)`);
      }
    } else if (key === "maxBytes") {
      rotate.maxBytes = parseBytes(spec, value);
    } else {
      throw invalidEventSpec(spec, `unknown parameter "${key}" (known: rotate, maxBytes)`);
    }
  }
  const path = isAbsolute(pathPart) ? pathPart : resolve(cwd, pathPart);
  return { kind: "jsonl", path, ...(rotate.monthly || rotate.maxBytes ? { rotate } : {}) };
}

function postgresSpec(spec: string, purpose: "events" | "thresholds"): StoreSpec {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw purpose === "events"
      ? invalidEventSpec(spec, "it is not a valid URL")
      : new MoeRouterError(ErrorCode.INVALID_CONFIG, `Thresholds store "${spec.replace(/:[^:@/]*@/, ":***@")}" is not a valid URL; use "postgres://user@host:5432/db[?tablePrefix=moe_router]".`);
  }
  const tablePrefix = url.searchParams.get("tablePrefix") ?? undefined;
  url.searchParams.delete("tablePrefix");
  return { kind: "postgres", connectionString: url.toString(), ...(tablePrefix ? { tablePrefix } : {}) };
}

/**
 * Reads a store spec as written in a config file or on the command line.
 * @example
 * parseStoreSpec("jsonl:logs/events.jsonl?rotate=monthly", { cwd: "/srv" })
 * // { kind: "jsonl", path: "/srv/logs/events.jsonl", rotate: { monthly: true } }
 * @throws MoeRouterError INVALID_CONFIG for an empty spec, a bad URL, an unknown parameter or
 * (for events) a spec that names no known kind of store.
 */
export function parseStoreSpec(spec: string, options: ParseStoreSpecOptions = {}): StoreSpec {
  const purpose = options.purpose ?? "events";
  if (typeof spec !== "string" || spec.trim() === "") {
    throw purpose === "events"
      ? invalidEventSpec(String(spec), "the spec is empty")
      : new MoeRouterError(ErrorCode.INVALID_CONFIG, 'A thresholds store needs a file path such as ".moe-router/thresholds.json" or a "postgres://user@host/db" URL.');
  }
  const cwd = options.cwd ?? process.cwd();
  const trimmed = spec.trim();
  if (POSTGRES.test(trimmed)) return postgresSpec(trimmed, purpose);
  if (purpose === "thresholds") return { kind: "file", path: isAbsolute(trimmed) ? trimmed : resolve(cwd, trimmed) };
  if (trimmed.startsWith("jsonl:")) return jsonlSpec(trimmed, trimmed.slice("jsonl:".length), cwd);
  if (/\.jsonl(\?.*)?$/i.test(trimmed)) return jsonlSpec(trimmed, trimmed, cwd);
  throw invalidEventSpec(trimmed, "the kind of store is not recognised");
}
