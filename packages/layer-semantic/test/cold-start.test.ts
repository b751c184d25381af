import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashedEmbedder } from "@moe-router/embeddings";
import { semanticLayer, type ExpertExemplars } from "../src/index.js";
import { confidenceOf, fitCalibration, rank, type CalibrationSample } from "../src/internal/calibration.js";

/** Four made-up experts with six exemplars each: what a team writes on its first day. */
const EXPERTS: Record<string, ExpertExemplars> = {
  "billing-master": {
    exemplars: [
      "Customer was billed twice this month",
      "Refund the duplicate charge on the invoice",
      "Update the credit card on file for the account",
      "Why did my subscription price go up",
      "Issue a credit note for the overcharge",
      "Cancel the annual plan and prorate the refund",
    ],
  },
  "network-master": {
    exemplars: [
      "The VPN keeps dropping every few minutes",
      "Open port 443 on the office firewall",
      "DNS lookups for the intranet are failing",
      "Wi-Fi in the meeting room is very slow",
      "Set up a site-to-site tunnel to the data centre",
      "The load balancer returns 502 errors",
    ],
  },
  "hr-master": {
    exemplars: [
      "Book parental leave starting in March",
      "How many vacation days do I have left",
      "Onboard the new hire starting Monday",
      "Update my home address in the payroll system",
      "Request a copy of my employment contract",
      "Submit the expense report for the conference trip",
    ],
  },
  "facilities-master": {
    exemplars: [
      "The air conditioning on floor 3 is broken",
      "Order a new desk chair for the design team",
      "A light is flickering in the kitchen",
      "Book the large conference room for Friday",
      "The printer on the second floor is jammed",
      "Replace the broken lock on the storage room",
    ],
  },
};

/** Near-duplicates and paraphrases of the exemplars, with the expert each belongs to. */
const TASKS: [string, string][] = [
  ["Customer was billed twice this month again", "billing-master"],
  ["The customer got billed twice this month", "billing-master"],
  ["Please refund the duplicate charge on this invoice", "billing-master"],
  ["Refund a duplicate charge on the last invoice", "billing-master"],
  ["Update the credit card on file for this account", "billing-master"],
  ["Why did the subscription price go up this year", "billing-master"],
  ["Issue a credit note for the overcharge on the invoice", "billing-master"],
  ["Cancel my annual plan and prorate the refund", "billing-master"],
  ["The VPN keeps dropping every few minutes again", "network-master"],
  ["VPN keeps dropping every couple of minutes", "network-master"],
  ["Please open port 443 on the office firewall", "network-master"],
  ["DNS lookups for the intranet keep failing", "network-master"],
  ["The Wi-Fi in the meeting room is really slow", "network-master"],
  ["Set up a site-to-site tunnel to the new data centre", "network-master"],
  ["Load balancer returns 502 errors since this morning", "network-master"],
  ["The load balancer is returning 502 errors", "network-master"],
  ["Book my parental leave starting in March", "hr-master"],
  ["How many vacation days do I have left this year", "hr-master"],
  ["Onboard the new hire who starts Monday", "hr-master"],
  ["Update my home address in the payroll system please", "hr-master"],
  ["Request a copy of my signed employment contract", "hr-master"],
  ["Submit an expense report for the conference trip", "hr-master"],
  ["I need to submit the expense report for my conference trip", "hr-master"],
  ["How many vacation days are left for me", "hr-master"],
  ["The air conditioning on floor 3 is broken again", "facilities-master"],
  ["Air conditioning on the third floor is broken", "facilities-master"],
  ["Order a new desk chair for the design team please", "facilities-master"],
  ["A light keeps flickering in the kitchen", "facilities-master"],
  ["Book the large conference room for next Friday", "facilities-master"],
  ["The printer on the second floor is jammed again", "facilities-master"],
  ["Replace the broken lock on the storage room door", "facilities-master"],
  ["The second floor printer is jammed", "facilities-master"],
];

const context = { eventId: "cold-start" };

describe("cold start: six exemplars per expert", () => {
  it("routes near-duplicates and paraphrases at threshold 0.7 with at least 90% of accepted tasks right", async () => {
    const embedder = hashedEmbedder();
    const layer = semanticLayer({ embedder, experts: EXPERTS });
    await layer.ready();
    let accepted = 0;
    let right = 0;
    for (const [description, expert] of TASKS) {
      const verdict = await layer.route({ description }, context);
      if (verdict.confidence < 0.7) continue;
      accepted++;
      if (verdict.expert === expert) right++;
    }
    expect(right / accepted).toBeGreaterThanOrEqual(0.9);
    // A healthy share: most of these tasks share most of their words with an exemplar.
    expect(accepted / TASKS.length).toBeGreaterThanOrEqual(0.6);
  });

  it("scores a near-copy of an exemplar high and says what the confidence rests on", async () => {
    const layer = semanticLayer({ embedder: hashedEmbedder(), experts: EXPERTS });
    const verdict = await layer.route({ description: "Customer was billed twice this month again" }, context);
    expect(verdict.expert).toBe("billing-master");
    expect(verdict.details!.similarity as number).toBeGreaterThan(0.9);
    expect(verdict.confidence).toBeGreaterThan(0.8);
    // 24 exemplars, every one left out once: the fit rests on 24 predictions, shrunk towards the prior.
    expect(verdict.details).toMatchObject({ calibration_source: "exemplars", calibration_samples: 24 });
    expect(layer.stats()).toMatchObject({ calibrationSource: "exemplars", calibrationSamples: 24 });
  });

  it("keeps calibration near the prior with few predictions and lets many decide", () => {
    // Predictions that say "a margin means nothing": 40% right whatever the margin.
    const flat = (n: number): CalibrationSample[] => Array.from({ length: n }, (_, i) => ({ scores: Float64Array.from([0.3 + (i % 10) * 0.03, 0.3]), truth: i % 5 < 2 ? 0 : 1 }));
    const wide = { margin: 0.3, top: 0.6 };
    const confidence = (samples: CalibrationSample[]) => {
      const calibration = fitCalibration(samples, "platt", "margin+top");
      const scores = [wide.top, wide.top - wide.margin];
      return confidenceOf(calibration, scores, rank(scores));
    };
    // The prior reads a margin of 0.3 as 0.91; 10 predictions move it a third of the way, 2,000 to ~0.4.
    expect(confidence(flat(10))).toBeGreaterThan(0.65);
    expect(confidence(flat(2000))).toBeLessThan(0.5);
  });
});

describe("confidence never falls as similarity or margin rises", () => {
  /** Random leave-one-out-like predictions, including the adversarial kind (wrong answers with large margins). */
  const samples = fc
    .array(
      fc.record({
        top: fc.double({ min: 0, max: 1, noNaN: true }),
        margin: fc.double({ min: 0, max: 0.5, noNaN: true }),
        others: fc.integer({ min: 1, max: 4 }),
        right: fc.boolean(),
      }),
      { minLength: 2, maxLength: 60 },
    )
    .map((rows) =>
      rows.map(({ top, margin, others, right }): CalibrationSample => {
        const scores = Float64Array.from([top, ...Array.from({ length: others }, (_, i) => top - margin - i * 0.01)]);
        return { scores, truth: right ? 0 : 1 };
      }),
    );

  it("for every fitted calibration: raising the winner's score raises (or keeps) the confidence", () => {
    fc.assert(
      fc.property(
        samples,
        fc.constantFrom("margin", "margin+top", "top", "probability" as const),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        (data, feature, runnerUp, gap, lift) => {
          const calibration = fitCalibration(data, "platt", feature);
          const low = [runnerUp + gap, runnerUp];
          const high = [runnerUp + gap + lift, runnerUp];
          expect(confidenceOf(calibration, high, rank(high))).toBeGreaterThanOrEqual(confidenceOf(calibration, low, rank(low)) - 1e-12);
        },
      ),
      { numRuns: 200, seed: 13 },
    );
  });

  it("and with the prior switched off (priorWeight 0) the constraint alone keeps it monotone", () => {
    fc.assert(
      fc.property(
        samples,
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        (data, runnerUp, gap, lift) => {
          const calibration = fitCalibration(data, "platt", "margin+top", 0);
          if (calibration.kind !== "platt") return; // all right or all wrong: temperature scaling, monotone by construction
          expect(calibration.a).toBeGreaterThanOrEqual(0);
          expect(calibration.c ?? 0).toBeGreaterThanOrEqual(0);
          const low = [runnerUp + gap, runnerUp];
          const high = [runnerUp + gap + lift, runnerUp];
          expect(confidenceOf(calibration, high, rank(high))).toBeGreaterThanOrEqual(confidenceOf(calibration, low, rank(low)) - 1e-12);
        },
      ),
      { numRuns: 200, seed: 17 },
    );
  });

  it("through the layer: a task moved closer to an exemplar never loses confidence", async () => {
    // One dimension per distinct word, so the noise words below touch no exemplar: dropping one
    // makes the task strictly more similar to every exemplar it shares words with.
    const vocabulary = new Map<string, number>();
    const embedder = {
      id: "vocabulary-test",
      dimension: 512,
      embed: (texts: readonly string[]) =>
        texts.map((text) => {
          const vector = new Float32Array(512);
          for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
            if (!vocabulary.has(word)) vocabulary.set(word, vocabulary.size);
            vector[vocabulary.get(word)! % 512]! += 1;
          }
          return vector;
        }),
    };
    const layer = semanticLayer({ embedder, experts: EXPERTS });
    await layer.ready();
    const exemplars = Object.values(EXPERTS).flatMap((expert) => expert.exemplars);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...exemplars), fc.array(fc.constantFrom("zeta", "quux", "blorp", "xyzzy", "plugh", "frob"), { minLength: 1, maxLength: 8 }), async (exemplar, noise) => {
        let previous = -1;
        for (let kept = noise.length; kept >= 0; kept--) {
          const verdict = await layer.route({ description: [exemplar, ...noise.slice(0, kept)].join(" ") }, context);
          expect(verdict.confidence).toBeGreaterThanOrEqual(previous - 1e-9);
          previous = verdict.confidence;
        }
      }),
      { numRuns: 100, seed: 5 },
    );
  });
});
