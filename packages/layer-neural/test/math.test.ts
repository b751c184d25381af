import { describe, expect, it } from "vitest";
import { toSparse } from "../src/internal/dense.js";
import { Network, initialLayers } from "../src/internal/network.js";
import { ProtoWriter, asText, readFields } from "../src/internal/protobuf.js";
import { createRandom, gaussian, shuffleInPlace } from "../src/internal/random.js";
import { decodeFloat32, encodeFloat32 } from "../src/internal/codec.js";

/** Loss of the network on one example (fresh forward pass). */
function loss(network: Network, vector: Float32Array, label: number): number {
  return network.evaluate(toSparse(vector), label).loss;
}

describe("backpropagation", () => {
  for (const hidden of [undefined, 6]) {
    it(`matches finite differences (${hidden ? "mlp" : "softmax"})`, () => {
      const random = createRandom(7);
      const layers = initialLayers(5, 3, hidden, random);
      // Non-zero starting weights so every path carries gradient.
      for (const layer of layers) for (let i = 0; i < layer.weights.length; i++) layer.weights[i] = gaussian(random) * 0.5;
      const network = new Network(layers);
      const vector = Float32Array.from([0.3, 0, -0.7, 0.5, 0.1]);
      const gradients = network.createGradients();
      network.accumulate(toSparse(vector), 2, 1, gradients);
      const step = 1e-2;
      layers.forEach((layer, l) => {
        for (let i = 0; i < layer.weights.length; i++) {
          const saved = layer.weights[i]!;
          layer.weights[i] = saved + step;
          const up = loss(network, vector, 2);
          layer.weights[i] = saved - step;
          const down = loss(network, vector, 2);
          layer.weights[i] = saved;
          expect(gradients.weights[l]![i]!).toBeCloseTo((up - down) / (2 * step), 3);
        }
      });
    });
  }
});

describe("seeded randomness", () => {
  it("repeats for a seed and differs across seeds", () => {
    const a = createRandom(1),
      b = createRandom(1),
      c = createRandom(2);
    const seqA = [a(), a(), a()],
      seqB = [b(), b(), b()],
      seqC = [c(), c(), c()];
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    const items = [1, 2, 3, 4, 5, 6];
    shuffleInPlace(items, createRandom(3));
    expect([...items].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("encodings", () => {
  it("round-trips float32 through base64 exactly", () => {
    const values = Float32Array.from([0, -1.5, 3.4028234663852886e38, 1e-45, Math.PI]);
    expect(decodeFloat32(encodeFloat32([values.subarray(0, 2), values.subarray(2)]))).toEqual(values);
  });

  it("writes protobuf fields its reader decodes", () => {
    const bytes = new ProtoWriter()
      .varint(1, 300)
      .varint(2, 2 ** 40)
      .string(3, "héllo")
      .message(4, (w) => w.varint(1, 7))
      .float(5, 1.5)
      .finish();
    const fields = readFields(bytes);
    expect(fields.map((f) => f.field)).toEqual([1, 2, 3, 4, 5]);
    expect(fields[0]!.value).toBe(300);
    expect(fields[1]!.value).toBe(2 ** 40);
    expect(asText(fields[2]!.value)).toBe("héllo");
    expect(readFields(fields[3]!.value as Uint8Array)[0]!.value).toBe(7);
    expect(() => readFields(Uint8Array.from([0x0a, 0x05, 0x01]))).toThrow(/truncated/);
  });
});
