import { describe, expect, it } from "vitest";
import { isMoeRouterError } from "@moe-router/core";
import { hashedEmbedder, hashedEmbedderFromState } from "../src/index.js";
import { dot, norm } from "./helpers.js";

describe("hashedEmbedder", () => {
  it("is deterministic across calls and instances", () => {
    const a = hashedEmbedder();
    const b = hashedEmbedder();
    const text = "Fix authentication bug in login system";
    const [first] = a.embed([text]);
    const [again] = a.embed([text]);
    const [other] = b.embed([text]);
    expect(Array.from(again!)).toEqual(Array.from(first!));
    expect(Array.from(other!)).toEqual(Array.from(first!));
  });

  it("returns L2-normalised Float32Arrays of the configured dimension", () => {
    const embedder = hashedEmbedder({ dimension: 300 });
    const vectors = embedder.embed(["Deploy API to production", "x", "Ünïcödé naïve café 42"]);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(300);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it("gives a zero vector for text without letters or digits", () => {
    const [v] = hashedEmbedder().embed(["  ?!, -- "]);
    expect(norm(v!)).toBe(0);
  });

  it("ignores case and punctuation", () => {
    const embedder = hashedEmbedder();
    const [a, b] = embedder.embed(["Reset my PASSWORD!", "reset my password"]);
    expect(dot(a!, b!)).toBeCloseTo(1, 5);
  });

  it("puts paraphrases closer than unrelated texts", () => {
    const embedder = hashedEmbedder();
    const pairs: [string, string, string][] = [
      ["fix the login authentication bug", "authentication bug in the login page needs a fix", "order more printer paper for the office"],
      ["deploy the api to production", "production deployment of the api", "what is the weather tomorrow"],
      ["check stock levels in the warehouse", "warehouse stock level check", "refactor the user service code"],
      ["my card payment was declined", "why was my card declined for this payment", "set an alarm for seven am"],
    ];
    for (const [text, paraphrase, unrelated] of pairs) {
      const [a, p, u] = embedder.embed([text, paraphrase, unrelated]);
      expect(dot(a!, p!), `${text} ~ ${paraphrase}`).toBeGreaterThan(dot(a!, u!) + 0.2);
    }
  });

  it("character n-grams bring inflections together", () => {
    const withChars = hashedEmbedder();
    const wordsOnly = hashedEmbedder({ charNgrams: false });
    const texts = ["deploying services", "deployed service"];
    const [a, b] = withChars.embed(texts);
    const [c, d] = wordsOnly.embed(texts);
    expect(dot(c!, d!)).toBeCloseTo(0, 1);
    expect(dot(a!, b!)).toBeGreaterThan(0.15);
  });

  it("changes the layout with the seed but not the quality", () => {
    const [a] = hashedEmbedder({ seed: 1 }).embed(["rotate the api keys"]);
    const [b] = hashedEmbedder({ seed: 2 }).embed(["rotate the api keys"]);
    expect(Array.from(a!)).not.toEqual(Array.from(b!));
  });

  it("describes its settings in the id", () => {
    expect(hashedEmbedder().id).toBe("hashed-v1:d1024:w1-2:c3-5:idfnone");
    expect(hashedEmbedder({ dimension: 512, wordNgrams: [1, 1], charNgrams: false, seed: 7 }).id).toBe("hashed-v1:d512:w1-1:c0:s7:idfnone");
  });

  it("rejects bad options with coded errors that say how to fix them", () => {
    const cases: [unknown, string][] = [
      [{ dimension: 0 }, "MOE_INVALID_CONFIG"],
      [{ dimension: 1.5 }, "MOE_INVALID_CONFIG"],
      [{ wordNgrams: [2, 1] }, "MOE_INVALID_CONFIG"],
      [{ charNgrams: [0, 3] }, "MOE_INVALID_CONFIG"],
      [{ wordNgrams: false, charNgrams: false }, "MOE_INVALID_CONFIG"],
      [{ seed: -1 }, "MOE_INVALID_CONFIG"],
      [{ idf: { documents: 2, frequencies: { a: 3 } } }, "MOE_INVALID_CONFIG"],
      [{ dimensions: 10 }, "MOE_UNKNOWN_OPTION"],
    ];
    for (const [options, code] of cases) {
      let caught: unknown;
      try {
        hashedEmbedder(options as never);
      } catch (error) {
        caught = error;
      }
      expect(isMoeRouterError(caught, code), JSON.stringify(options)).toBe(true);
    }
  });
});

describe("IDF", () => {
  const corpus = ["please reset my password", "please check my order", "please cancel my card", "please deploy the service", "please show my balance", "rotate the deploy keys"];

  it("makes common words weigh less", () => {
    const plain = hashedEmbedder({ charNgrams: false, wordNgrams: [1, 1] });
    const weighted = hashedEmbedder({ charNgrams: false, wordNgrams: [1, 1] });
    weighted.fitIdf(corpus);
    // "please" is in 5 of 6 documents; "password" in 1. Sharing only "please" should matter less after IDF.
    const texts = ["please reset password", "please cancel order"];
    const [a, b] = plain.embed(texts);
    const [c, d] = weighted.embed(texts);
    expect(dot(c!, d!)).toBeLessThan(dot(a!, b!) * 0.5);
  });

  it("puts the IDF table in the id and survives exportState/fromState", () => {
    const embedder = hashedEmbedder();
    const before = embedder.id;
    embedder.fitIdf(corpus);
    expect(embedder.id).toMatch(/^hashed-v1:d1024:w1-2:c3-5:idf[0-9a-f]{8}$/);
    expect(embedder.id).not.toBe(before);
    const state = JSON.parse(JSON.stringify(embedder.exportState())) as unknown;
    const restored = hashedEmbedderFromState(state);
    expect(restored.id).toBe(embedder.id);
    const [a] = embedder.embed(["please deploy the keys"]);
    const [b] = restored.embed(["please deploy the keys"]);
    expect(Array.from(b!)).toEqual(Array.from(a!));
  });

  it("accepts a document-frequency table as an option", () => {
    const fitted = hashedEmbedder();
    fitted.fitIdf(corpus);
    const given = hashedEmbedder({ idf: fitted.idf! });
    expect(given.id).toBe(fitted.id);
  });

  it("refuses an empty corpus and a corrupt state", () => {
    expect(() => hashedEmbedder().fitIdf([])).toThrow(/empty corpus/);
    for (const state of [
      null,
      { format: "x" },
      { ...hashedEmbedder().exportState(), version: 2 },
      { ...hashedEmbedder().exportState(), dimension: undefined },
      { ...hashedEmbedder().exportState(), idf: { documents: 1 } },
    ]) {
      let caught: unknown;
      try {
        hashedEmbedderFromState(state);
      } catch (error) {
        caught = error;
      }
      expect(isMoeRouterError(caught, "MOE_CORRUPT_FILE"), JSON.stringify(state)).toBe(true);
    }
  });
});
