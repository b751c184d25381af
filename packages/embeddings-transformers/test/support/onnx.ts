/**
 * Writes small ONNX models by hand (ModelProto, GraphProto, NodeProto, TensorProto,
 * ValueInfoProto), so tests can exercise a real ONNX Runtime session without downloads.
 */
import { Message } from "./protobuf.js";

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** A graph input or output: name, element type, and shape (numbers or symbolic names). */
export interface ValueInfo {
  readonly name: string;
  readonly type: (typeof DataType)[keyof typeof DataType];
  readonly shape: readonly (number | string)[];
}

/** A constant weight tensor. */
export interface Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: Float32Array;
}

/** One operator. */
export interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** Integer-list attributes (e.g. ReduceMean's axes) and integer attributes. */
  readonly attributes?: Readonly<Record<string, number | readonly number[]>>;
}

function valueInfo(info: ValueInfo): Message {
  const shape = new Message();
  for (const dim of info.shape) {
    shape.message(1, typeof dim === "number" ? new Message().int(1, dim) : new Message().string(2, dim));
  }
  const tensorType = new Message().int(1, info.type).message(2, shape);
  return new Message().string(1, info.name).message(2, new Message().message(1, tensorType));
}

function tensor(init: Initializer): Message {
  const message = new Message();
  for (const dim of init.dims) message.int(1, dim);
  message.int(2, DataType.FLOAT).string(8, init.name);
  // raw_data is little-endian; Float32Array is little-endian on every platform Node runs on.
  return message.bytes(9, new Uint8Array(init.values.buffer, init.values.byteOffset, init.values.byteLength));
}

function node(spec: Node, index: number): Message {
  const message = new Message();
  for (const input of spec.inputs) message.string(1, input);
  for (const output of spec.outputs) message.string(2, output);
  message.string(3, spec.name ?? `${spec.op}_${index}`).string(4, spec.op);
  for (const [name, value] of Object.entries(spec.attributes ?? {})) {
    // AttributeProto: name = 1, i = 3, ints = 8, type = 20 (INT = 2, INTS = 7).
    const attribute = new Message().string(1, name);
    if (typeof value === "number") attribute.int(3, value).int(20, 2);
    else {
      for (const v of value) attribute.int(8, v);
      attribute.int(20, 7);
    }
    message.message(5, attribute);
  }
  return message;
}

/** Encodes a complete ModelProto (IR version 8, default opset `opset`). */
export function encodeModel(
  graph: {
    readonly name: string;
    readonly nodes: readonly Node[];
    readonly initializers: readonly Initializer[];
    readonly inputs: readonly ValueInfo[];
    readonly outputs: readonly ValueInfo[];
  },
  opset = 13,
): Uint8Array {
  const g = new Message();
  graph.nodes.forEach((n, i) => g.message(1, node(n, i)));
  g.string(2, graph.name);
  for (const init of graph.initializers) g.message(5, tensor(init));
  for (const input of graph.inputs) g.message(11, valueInfo(input));
  for (const output of graph.outputs) g.message(12, valueInfo(output));
  return new Message()
    .int(1, 8) // ir_version
    .string(2, "moe-router-test") // producer_name
    .message(7, g)
    .message(8, new Message().string(1, "").int(2, opset)) // opset_import
    .finish();
}
