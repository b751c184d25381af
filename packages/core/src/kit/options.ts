/**
 * Option schemas: the known keys of a layer's options, their types, ranges and defaults, so
 * every layer refuses a misspelt key or a wrong value with the same coded errors
 * (MOE_UNKNOWN_OPTION, MOE_INVALID_CONFIG) and the same wording.
 */
import { ErrorCode, MoeRouterError } from "../errors.js";
import { isEmbedder } from "./embedder.js";

interface SpecBase<T> {
  /** One line saying what the option means (shown in error messages for choices). */
  readonly description?: string;
  /** Filled in when the option is left out. */
  readonly default?: T;
  /** Refuse the options when this key is missing. */
  readonly required?: boolean;
  /** Accepted by the factory but not in a config file (objects, callbacks). */
  readonly factoryOnly?: boolean;
  /**
   * A further check of a value of the right type: returns what is wrong (completing
   * "option "x" must be ...") or undefined when it is fine.
   */
  readonly check?: (value: T) => string | undefined;
}

/** A string; non-empty unless `allowEmpty`; one of `oneOf` when given. */
export interface StringSpec<T = string> extends SpecBase<T> {
  readonly type: "string";
  readonly oneOf?: readonly string[];
  readonly allowEmpty?: boolean;
  /** An example value for the error message, e.g. "coordinator-master". */
  readonly example?: string;
}

/** A finite number, optionally an integer within bounds. */
export interface NumberSpec extends SpecBase<number> {
  readonly type: "number";
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** `min` itself is refused (e.g. a temperature > 0). */
  readonly exclusiveMin?: boolean;
}

/** `true` or `false`. */
export interface BooleanSpec extends SpecBase<boolean> {
  readonly type: "boolean";
}

/**
 * A file path. The factory takes it as given; `createLayer` resolves a relative path against
 * the environment: `base: "config"` against the config file's directory
 * (`environment.configDir`, else the working directory), `base: "data"` against the data
 * directory. `allowFalse` accepts `false` too ("no file").
 */
export interface PathSpec extends SpecBase<string | false> {
  readonly type: "path";
  readonly base: "config" | "data";
  readonly allowFalse?: boolean;
}

/** An embedder `{ id, dimension, embed }`. */
export interface EmbedderSpec extends SpecBase<unknown> {
  readonly type: "embedder";
}

/** A function (callbacks such as `onWarning`). Always factory-only. */
export interface FunctionSpec extends SpecBase<unknown> {
  readonly type: "function";
}

/** Any non-null value of the named JavaScript kind; deeper checks go in `check`. */
export interface ValueSpec extends SpecBase<never> {
  readonly type: "object" | "array" | "any";
  // `check` of a value spec sees the raw value.
  readonly check?: (value: never) => string | undefined;
  readonly validate?: (value: unknown, where: string) => void;
}

/** What one option may be. */
export type OptionSpec = StringSpec | NumberSpec | BooleanSpec | PathSpec | EmbedderSpec | FunctionSpec | ValueSpec;

/** The schema of a layer's options: one spec per key. */
export type OptionSchema<Options extends object = Record<string, unknown>> = { readonly [K in keyof Required<Options>]: OptionSpec };

/** Old option names still accepted, mapped to their new names. */
export type RenamedOptions = Readonly<Record<string, string>>;

/** What {@link checkOptions} needs besides the schema. */
export interface CheckOptionsContext {
  /** Where the options were given, for messages: "keyword layer options". */
  readonly where: string;
  /** Old names accepted with a MOE_DEPRECATED_OPTION warning. */
  readonly renamed?: RenamedOptions;
  /** Receives deprecation warnings. Default `process.emitWarning`. */
  readonly onWarning?: (warning: MoeRouterError) => void;
  /** Config-file mode: factory-only keys are unknown. */
  readonly config?: boolean;
}

/** True for a plain (non-null, non-array) object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof RegExp);
}

/** Throws MOE_UNKNOWN_OPTION for the first key of `object` not in `known` (usually a typo). */
export function checkKnownKeys(object: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown option "${key}" in ${where}. Known options: ${known.join(", ")}.`, { data: { option: key, where } });
    }
  }
}

/** A MOE_INVALID_CONFIG error about one option. */
export function invalidOption(where: string, option: string, message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: option "${option}" ${message}`, { data: { option, where } });
}

const warned = new Set<string>();

function defaultWarn(warning: MoeRouterError): void {
  const key = warning.message;
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(warning);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value === "object" ? "an object" : typeof value;
}

function bounds(spec: NumberSpec): string {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`${spec.exclusiveMin ? ">" : ">="} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  return parts.length ? ` ${parts.join(" and ")}` : "";
}

/** What is wrong with `value` for `spec` (type and range only), or undefined. */
function typeProblem(spec: OptionSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case "string": {
      if (typeof value !== "string" || (!spec.allowEmpty && value.trim().length === 0)) {
        return `must be a ${spec.allowEmpty ? "" : "non-empty "}string${spec.example ? ` such as ${JSON.stringify(spec.example)}` : ""}; got ${describeValue(value)}.`;
      }
      if (spec.oneOf && !spec.oneOf.includes(value)) return `must be one of ${spec.oneOf.map((v) => JSON.stringify(v)).join(", ")}; got ${describeValue(value)}.`;
      return undefined;
    }
    case "number": {
      const n = value as number;
      const ok =
        typeof value === "number" &&
        Number.isFinite(n) &&
        (!spec.integer || Number.isInteger(n)) &&
        (spec.min === undefined || (spec.exclusiveMin ? n > spec.min : n >= spec.min)) &&
        (spec.max === undefined || n <= spec.max);
      return ok ? undefined : `must be ${spec.integer ? "an integer" : "a number"}${bounds(spec)}; got ${describeValue(value)}.`;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false; got ${describeValue(value)}.`;
    case "path":
      if (value === false && spec.allowFalse) return undefined;
      return typeof value === "string" && value.length > 0 ? undefined : `must be a file path${spec.allowFalse ? " (or false)" : ""}; got ${describeValue(value)}.`;
    case "embedder":
      return isEmbedder(value) ? undefined : "must be an embedder { id, dimension, embed() }, e.g. hashedEmbedder() from @moe-router/embeddings.";
    case "function":
      return typeof value === "function" ? undefined : `must be a function; got ${describeValue(value)}.`;
    case "object":
      return isPlainObject(value) ? undefined : `must be an object; got ${describeValue(value)}.`;
    case "array":
      return Array.isArray(value) ? undefined : `must be an array; got ${describeValue(value)}.`;
    case "any":
      return undefined;
  }
}

/**
 * Checks `input` against `schema` and returns a copy with defaults filled in. Throws
 * MOE_INVALID_CONFIG when `input` is not an object, a value has the wrong type or range, or
 * a required key is missing; MOE_UNKNOWN_OPTION for a key the schema does not know (in config
 * mode, factory-only keys are unknown too). Renamed keys are moved to their new name with a
 * MOE_DEPRECATED_OPTION warning; giving both names is MOE_INVALID_CONFIG.
 */
export function checkOptions(schema: OptionSchema, input: unknown, context: CheckOptionsContext): Record<string, unknown> {
  const { where } = context;
  if (input === undefined || input === null) input = {};
  if (!isPlainObject(input)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} must be an object (or be left out); got ${describeValue(input)}.`, { data: { where } });
  }
  const options: Record<string, unknown> = { ...input };
  for (const [old, now] of Object.entries(context.renamed ?? {})) {
    if (!(old in options)) continue;
    if (now in options) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: "${old}" is the old name of "${now}"; give only "${now}".`, { data: { option: old, where } });
    }
    (context.onWarning ?? defaultWarn)(
      new MoeRouterError(ErrorCode.DEPRECATED_OPTION, `${where}: option "${old}" is deprecated; rename it to "${now}" (same meaning).`, { data: { option: old, renamedTo: now, where } }),
    );
    options[now] = options[old];
    delete options[old];
  }
  const known = Object.keys(schema).filter((key) => !(context.config && isFactoryOnly(schema[key]!)));
  checkKnownKeys(options, known, where);
  for (const key of Object.keys(schema)) {
    const spec = schema[key]!;
    const value = options[key];
    if (value === undefined) {
      if (spec.required && spec.type === "embedder") {
        throw new MoeRouterError(
          ErrorCode.INVALID_CONFIG,
          `${where}: needs an "${key}" { id, dimension, embed() }, e.g. hashedEmbedder() from @moe-router/embeddings (in a config file: "embedder": { "package": "@moe-router/embeddings" }).`,
          { data: { option: key, where } },
        );
      }
      if (spec.required) throw invalidOption(where, key, `is required${spec.description ? ` (${spec.description})` : ""}.`);
      if (spec.default !== undefined) options[key] = spec.default;
      continue;
    }
    const problem = typeProblem(spec, value) ?? (spec.check as ((v: unknown) => string | undefined) | undefined)?.(value);
    if (problem) throw invalidOption(where, key, problem);
    if ("validate" in spec && spec.validate) spec.validate(value, where);
  }
  return options;
}

function isFactoryOnly(spec: OptionSpec): boolean {
  return spec.factoryOnly === true || spec.type === "function" || spec.type === "embedder";
}

/** The spec every layer uses for its fallback expert, so it is named one way everywhere. */
export const fallbackExpertOption: StringSpec & { readonly default: string } = Object.freeze({
  type: "string",
  default: "coordinator-master",
  example: "coordinator-master",
  description: "the expert answered, with confidence 0, when the layer has no answer",
});

/** The old names of {@link fallbackExpertOption}, accepted with a deprecation warning. */
export const FALLBACK_EXPERT_RENAMES: RenamedOptions = Object.freeze({ defaultExpert: "fallbackExpert" });
