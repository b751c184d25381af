import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ErrorCode, type Embedder, type Layer, type MoeRouterError } from "../src/index.js";
import { chain, checkKnownKeys, defineLayer, fallbackExpertOption, isThenable, resolveLayerPath } from "../src/kit/index.js";

interface EchoOptions {
  readonly name?: string;
  readonly fallbackExpert?: string;
  readonly k?: number;
  readonly mode?: "a" | "b";
  readonly file?: string;
  readonly embedder?: Embedder;
  readonly onWarning?: (warning: MoeRouterError) => void;
}

interface EchoLayer extends Layer {
  readonly options: EchoOptions;
}

const embedder: Embedder = { id: "fake", dimension: 2, embed: (texts) => texts.map(() => new Float32Array([1, 0])) };

const echo = defineLayer<EchoOptions, EchoOptions & { readonly extra?: string }>()({
  name: "echo",
  options: {
    name: { type: "string", default: "echo" },
    fallbackExpert: fallbackExpertOption,
    k: { type: "number", integer: true, min: 1, max: 10, default: 3 },
    mode: { type: "string", oneOf: ["a", "b"] },
    file: { type: "path", base: "config" },
    onWarning: { type: "function" },
  },
  config: { extra: { type: "string" } },
  needsEmbedder: true,
  checkDeclaredExperts: true,
  build: (options): EchoLayer => ({
    name: options.name,
    options,
    capabilities: { experts: [options.fallbackExpert] },
    route: () => ({ expert: options.fallbackExpert, confidence: 0 }),
  }),
  fromConfig: ({ extra: _extra, ...config }) => config,
});

function thrown(run: () => unknown): MoeRouterError {
  try {
    run();
  } catch (error) {
    return error as MoeRouterError;
  }
  throw new Error("expected a throw");
}

describe("defineLayer: the factory", () => {
  it("fills defaults and keeps given values", () => {
    const layer = echo.factory({ embedder, k: 5 });
    expect(layer.name).toBe("echo");
    expect(layer.options).toMatchObject({ k: 5, fallbackExpert: "coordinator-master" });
  });

  it("refuses an unknown key with MOE_UNKNOWN_OPTION naming it and the known ones", () => {
    const error = thrown(() => echo.factory({ embedder, kk: 1 } as never));
    expect(error.code).toBe(ErrorCode.UNKNOWN_OPTION);
    expect(error.message).toContain('"kk"');
    expect(error.message).toContain("name, fallbackExpert, k, mode");
    expect(error.data).toMatchObject({ option: "kk", where: "echo layer options" });
  });

  it.each<[unknown, string]>([
    [{ k: 0 }, 'option "k" must be an integer >= 1 and <= 10; got 0.'],
    [{ k: 2.5 }, "an integer"],
    [{ k: "3" }, 'got "3"'],
    [{ mode: "c" }, 'one of "a", "b"'],
    [{ name: " " }, "non-empty string"],
    [{ fallbackExpert: 3 }, '"fallbackExpert" must be a non-empty string such as "coordinator-master"'],
    [{ file: "" }, "file path"],
    [{ onWarning: 1 }, "function"],
  ])("refuses %j with MOE_INVALID_CONFIG", (options, fragment) => {
    const error = thrown(() => echo.factory({ embedder, ...(options as object) }));
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain(fragment);
  });

  it("refuses options that are not an object, and takes none as the defaults", () => {
    expect(thrown(() => echo.factory([] as never)).code).toBe(ErrorCode.INVALID_CONFIG);
    expect(thrown(() => echo.factory("x" as never)).code).toBe(ErrorCode.INVALID_CONFIG);
  });

  it("requires the embedder when the layer needs one, saying how to give it", () => {
    const error = thrown(() => echo.factory({}));
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('needs an "embedder"');
    expect(thrown(() => echo.factory({ embedder: { id: "x" } as never })).code).toBe(ErrorCode.INVALID_CONFIG);
  });

  it("accepts defaultExpert as a deprecated name of fallbackExpert, with a coded warning", () => {
    const warnings: MoeRouterError[] = [];
    const layer = echo.factory({ embedder, defaultExpert: "help-desk", onWarning: (w: MoeRouterError) => warnings.push(w) } as never);
    expect(layer.options.fallbackExpert).toBe("help-desk");
    expect(warnings.map((w) => w.code)).toEqual([ErrorCode.DEPRECATED_OPTION]);
    expect(warnings[0]!.message).toContain('rename it to "fallbackExpert"');
    const both = thrown(() => echo.factory({ embedder, defaultExpert: "a", fallbackExpert: "b" } as never));
    expect(both.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(both.message).toContain('give only "fallbackExpert"');
  });
});

describe("defineLayer: createLayer (config files)", () => {
  const environment = { dataDir: "/data", configDir: "/configs/team", embedder };

  it("resolves a relative path from the config's directory, keeps an absolute one", () => {
    expect(echo.createLayer({ file: "rules.json" }, environment).options.file).toBe(resolve("/configs/team", "rules.json"));
    expect(echo.createLayer({ file: "/abs/rules.json" }, environment).options.file).toBe("/abs/rules.json");
  });

  it("passes the environment's embedder, and says how to add one when there is none", () => {
    expect(echo.createLayer({}, environment).options.embedder).toBe(embedder);
    const error = thrown(() => echo.createLayer({}, { dataDir: "/data" }));
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('"embedder": { "package": "@moe-router/embeddings" }');
  });

  it("accepts config-only keys and refuses factory-only ones (functions, embedders)", () => {
    expect(() => echo.createLayer({ extra: "x" }, environment)).not.toThrow();
    expect(thrown(() => echo.createLayer({ onWarning: () => {} }, environment)).code).toBe(ErrorCode.UNKNOWN_OPTION);
    expect(thrown(() => echo.createLayer({ embedder }, environment)).code).toBe(ErrorCode.UNKNOWN_OPTION);
  });

  it("refuses the same wrong values with the same codes as the factory", () => {
    expect(thrown(() => echo.createLayer({ k: 0 }, environment)).message).toBe(thrown(() => echo.factory({ embedder, k: 0 })).message);
    expect(thrown(() => echo.createLayer({ kk: 0 }, environment)).code).toBe(ErrorCode.UNKNOWN_OPTION);
  });

  it("refuses an expert the cascade does not declare, when asked to", () => {
    const error = thrown(() => echo.createLayer({ fallbackExpert: "chef" }, { ...environment, experts: ["coordinator-master"] }));
    expect(error.code).toBe(ErrorCode.INVALID_CONFIG);
    expect(error.message).toContain('"chef"');
  });

  it("sends deprecation warnings to the environment's onWarning", () => {
    const warnings: Error[] = [];
    echo.createLayer({ defaultExpert: "help-desk" }, { ...environment, onWarning: (w: Error) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
  });

  it("releases what fromConfig opened when the factory then refuses the options", async () => {
    const released: string[] = [];
    const opening = defineLayer<{ readonly name?: string; readonly handle?: string }>()({
      name: "opening",
      options: { name: { type: "string" }, handle: { type: "string", factoryOnly: true, check: (handle) => (handle === "bad" ? 'must not be "bad".' : undefined) } },
      build: (options) => ({ name: options.name ?? "opening", route: () => ({ expert: "a", confidence: 0 }) }),
      fromConfig: async (config) => ({ ...config, handle: config.name === "x" ? "bad" : "ok" }),
      discard: (options) => void released.push(options.handle!),
    });
    await expect(opening.createLayer({ name: "x" }, { dataDir: "/d" })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    expect(released).toEqual(["bad"]);
    expect((await opening.createLayer({}, { dataDir: "/d" })).name).toBe("opening");
  });
});

describe("kit helpers", () => {
  it("isThenable and chain stay synchronous on plain values", async () => {
    expect(isThenable(Promise.resolve(1))).toBe(true);
    expect(isThenable({ then: () => {} })).toBe(true);
    expect(isThenable(1)).toBe(false);
    expect(isThenable(null)).toBe(false);
    expect(chain(2, (n) => n * 2)).toBe(4);
    await expect(chain(Promise.resolve(2), (n) => n * 2)).resolves.toBe(4);
  });

  it("checkKnownKeys throws MOE_UNKNOWN_OPTION", () => {
    expect(thrown(() => checkKnownKeys({ a: 1, b: 2 }, ["a"], "x")).code).toBe(ErrorCode.UNKNOWN_OPTION);
  });

  it("resolveLayerPath starts at the config directory or the data directory", () => {
    expect(resolveLayerPath("a.json", { dataDir: "/d", configDir: "/c" }, "config")).toBe(join("/c", "a.json"));
    expect(resolveLayerPath("a.json", { dataDir: "/d", configDir: "/c" }, "data")).toBe(join("/d", "a.json"));
    expect(resolveLayerPath("a.json", { dataDir: "/d" }, "config")).toBe(resolve("a.json"));
  });
});
