import { describe, expect, it } from "vitest";
import { Message } from "./support/protobuf.js";

// The test helper that writes ONNX files is itself checked against known protobuf encodings.
describe("protobuf writer (test support)", () => {
  it("encodes varints, negative int64 and strings as protobuf does", () => {
    expect(Array.from(new Message().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new Message().string(2, "testing").finish())).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    expect(Array.from(new Message().int(1, -1).finish())).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(Array.from(new Message().message(3, new Message().int(1, 150)).finish())).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });
});
