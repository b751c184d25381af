import { describe, expect, it } from "vitest";
import { ErrorCode, createCascade, fitTfidf, lookupLayer, tfidfFromState, type Layer } from "../src/index.js";

const corpus = ["I lost my card", "my card has not arrived", "how do I top up", "top up by bank transfer", "card payment declined"];

describe("fitTfidf", () => {
  it("keeps terms that occur in minDf texts, word and char n-grams, with smoothed idf", () => {
    const tfidf = fitTfidf(corpus);
    const state = tfidf.toState();
    // "card" is in 3 of 5 texts; "lost" in 1 (dropped at minDf 2); "top up" in 2; single-letter "I" is no word token.
    expect(state.words).toContain("card");
    expect(state.words).toContain("top up");
    expect(state.words).not.toContain("lost");
    expect(state.words).not.toContain("i");
    expect(state.chars).toContain(" ca");
    const card = state.words.indexOf("card");
    expect(state.idf[card]).toBeCloseTo(Math.log(6 / 4) + 1, 10);
    expect(tfidf.dimension).toBe(state.words.length + state.chars.length);
  });

  it("gives each block unit length, ignores unknown terms and sorts indices", () => {
    const tfidf = fitTfidf(corpus, { minDf: 1 });
    const vector = tfidf.transform("My CARD was declined, zzzz");
    const words = tfidf.toState().words.length;
    let wordNorm = 0;
    let charNorm = 0;
    vector.indices.forEach((index, k) => {
      if (index < words) wordNorm += vector.values[k]! ** 2;
      else charNorm += vector.values[k]! ** 2;
    });
    expect(wordNorm).toBeCloseTo(1, 5);
    expect(charNorm).toBeCloseTo(1, 5);
    for (let k = 1; k < vector.indices.length; k++) expect(vector.indices[k]!).toBeGreaterThan(vector.indices[k - 1]!);
    expect(tfidf.transform("qqqq xxxx").indices.length).toBe(0);
  });

  it("uses sublinear tf: a repeated word weighs 1 + ln(count)", () => {
    const tfidf = fitTfidf(["card card", "card top"], { minDf: 1, charNgrams: null, wordNgrams: [1, 1] });
    const state = tfidf.toState();
    const v = tfidf.transform("card card top");
    const value = (term: string) => v.values[[...v.indices].indexOf(state.words.indexOf(term))]!;
    const card = (1 + Math.log(2)) * state.idf[state.words.indexOf("card")]!;
    const top = state.idf[state.words.indexOf("top")]!;
    expect(value("card") / value("top")).toBeCloseTo(card / top, 5);
  });

  it("restores the same vectors and id from its state (JSON round trip)", () => {
    const tfidf = fitTfidf(corpus);
    const restored = tfidfFromState(JSON.parse(JSON.stringify(tfidf.toState())));
    expect(restored.id).toBe(tfidf.id);
    const a = tfidf.transform("card top up");
    const b = restored.transform("card top up");
    expect([...b.indices]).toEqual([...a.indices]);
    expect([...b.values]).toEqual([...a.values]);
    expect(fitTfidf([...corpus, "card again"]).id).not.toBe(tfidf.id);
  });

  it("refuses bad options and corrupt states with coded errors", () => {
    expect(() => fitTfidf(corpus, { wordNgrams: [2, 1] })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
    expect(() => fitTfidf(corpus, { wordNgrams: null, charNgrams: null })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
    expect(() => fitTfidf(["a b", "c d"], { minDf: 5 })).toThrow(expect.objectContaining({ code: ErrorCode.INSUFFICIENT_DATA }));
    const state = fitTfidf(corpus).toState();
    expect(() => tfidfFromState({ ...state, idf: [1] })).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_FILE }));
    expect(() => tfidfFromState({ ...state, format: "x" } as never)).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_FILE }));
  });
});

describe("outOfScopeExperts", () => {
  const oos: Layer = lookupLayer({
    name: "l",
    examples: [
      { text: "what is the meaning of life", expert: "oos" },
      { text: "fix the login bug", expert: "development-master" },
    ],
  });

  it("sends a confident out-of-scope verdict to clarification with reason out_of_scope", async () => {
    const cascade = createCascade({ layers: [{ layer: oos, threshold: 0.5 }], outOfScopeExperts: ["oos"] });
    const decision = await cascade.route({ description: "what is the meaning of life" });
    expect(decision.layer).toBe("clarification");
    expect(decision.expert).toBe("coordinator-master");
    expect(decision.clarification).toEqual({ reason: "out_of_scope", candidates: ["oos"] });
    expect(decision.attempts[0]).toMatchObject({ expert: "oos", accepted: true });
    expect((await cascade.route({ description: "fix the login bug" })).expert).toBe("development-master");
  });

  it("without the option the label is routed like any expert; a bad value is refused", async () => {
    const cascade = createCascade({ layers: [{ layer: oos, threshold: 0.5 }] });
    expect((await cascade.route({ description: "what is the meaning of life" })).expert).toBe("oos");
    expect(() => createCascade({ layers: [{ layer: oos, threshold: 0.5 }], outOfScopeExperts: [""] })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
  });
});
