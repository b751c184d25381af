/**
 * JSON serialisation that cannot throw, for values a host does not control: layer `details`,
 * task metadata, anything a plug-in hands back. `JSON.stringify` throws on a BigInt, a
 * circular reference, a getter or `toJSON` that throws, a revoked proxy, and overflows the
 * stack on very deep values; a router must still log and print its decision when a layer's
 * details are like that.
 */

/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Options of {@link toJsonSafe} and {@link safeJsonStringify}. */
export interface JsonSafeOptions {
  /** Nesting depth kept; deeper values become `"[Too deep]"`. Default 64. */
  readonly maxDepth?: number;
}

/** Placeholders written in place of what JSON cannot hold. */
export const JSON_SAFE_MARKERS = {
  circular: "[Circular]",
  tooDeep: "[Too deep]",
  unreadable: "[Unreadable]",
} as const;

function unreadable(error: unknown): string {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = "";
  }
  return message ? `${JSON_SAFE_MARKERS.unreadable}: ${message.slice(0, 200)}` : JSON_SAFE_MARKERS.unreadable;
}

/** undefined: leave the key out (in an object) or write null (in an array), as JSON.stringify does. */
function convert(value: unknown, depth: number, seen: Set<object>, maxDepth: number): JsonValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      // As a decimal string: exact, and readable by any JSON reader (a number could lose digits).
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return JSON_SAFE_MARKERS.circular;
  if (depth >= maxDepth) return JSON_SAFE_MARKERS.tooDeep;
  seen.add(object);
  try {
    const toJSON = (object as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      const replaced: unknown = toJSON.call(object, "");
      // A toJSON returning itself (or another object) is walked like any value.
      return replaced === object ? {} : convert(replaced, depth, seen, maxDepth);
    }
    if (Array.isArray(object)) {
      const out: JsonValue[] = [];
      for (let i = 0; i < object.length; i++) {
        let item: JsonValue | undefined;
        try {
          item = convert(object[i], depth + 1, seen, maxDepth);
        } catch (error) {
          item = unreadable(error);
        }
        out.push(item === undefined ? null : item);
      }
      return out;
    }
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(object)) {
      let item: JsonValue | undefined;
      try {
        item = convert((object as Record<string, unknown>)[key], depth + 1, seen, maxDepth);
      } catch (error) {
        item = unreadable(error);
      }
      if (item !== undefined) out[key] = item;
    }
    return out;
  } catch (error) {
    // toJSON threw, or Object.keys on a revoked proxy.
    return unreadable(error);
  } finally {
    seen.delete(object);
  }
}

/**
 * A JSON-safe deep copy of `value` that never throws. JSON.stringify's rules apply (functions,
 * symbols and undefined are left out of objects and become null in arrays, non-finite numbers
 * become null, `toJSON` is honoured) and what JSON cannot hold becomes a marker string:
 * a BigInt its decimal digits, a circular reference `"[Circular]"`, a throwing getter or
 * `toJSON` `"[Unreadable]: message"`, nesting beyond `maxDepth` `"[Too deep]"`.
 * A value reached twice without a cycle (a shared sub-object) is copied twice.
 *
 * @example
 * const details: Record<string, unknown> = { n: 1n };
 * details.self = details;
 * toJsonSafe(details); // { n: "1", self: "[Circular]" }
 */
export function toJsonSafe(value: unknown, options: JsonSafeOptions = {}): JsonValue {
  const maxDepth = options.maxDepth ?? 64;
  try {
    return convert(value, 0, new Set(), maxDepth) ?? null;
  } catch (error) {
    return unreadable(error);
  }
}

/**
 * `JSON.stringify` that never throws: the plain call first (no copy for well-behaved values),
 * then {@link toJsonSafe} when it throws. A top-level value JSON cannot represent (undefined,
 * a function) gives `"null"`, so the result is always a JSON text.
 */
export function safeJsonStringify(value: unknown, space?: number, options: JsonSafeOptions = {}): string {
  try {
    const text = JSON.stringify(value, null, space);
    if (typeof text === "string") return text;
  } catch {
    // Falls through to the safe copy.
  }
  return JSON.stringify(toJsonSafe(value, options), null, space) ?? "null";
}
