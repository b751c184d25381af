import { describe, it } from "vitest";
import fc from "fast-check";
import { hashedEmbedder } from "../src/index.js";
import { norm } from "./helpers.js";

describe("hashedEmbedder on any string", () => {
  const embedder = hashedEmbedder({ dimension: 256 });
  embedder.fitIdf(["the quick brown fox", "the lazy dog", "a fox and a dog"]);

  it("returns a finite vector that is unit-norm or zero", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (text) => {
        const [v] = embedder.embed([text]);
        const n = norm(v!);
        // Plain booleans, not expect() per element: 256 expects x 300 runs would dominate the run time.
        return v!.length === 256 && v!.every(Number.isFinite) && (n === 0 || Math.abs(n - 1) < 1e-5);
      }),
      { numRuns: 200 },
    );
  });

  it("embeds a batch the same as one text at a time", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 8 }), (texts) => {
        const batch = embedder.embed(texts);
        return texts.every((text, i) => {
          const single = embedder.embed([text])[0]!;
          return batch[i]!.every((x, k) => x === single[k]);
        });
      }),
      { numRuns: 100 },
    );
  });
});
