/**
 * Writes and inspects the ONNX graph of a head. Field numbers follow onnx.proto
 * (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto). The graph is what
 * PyTorch's exporter produces for nn.Linear stacks: Gemm (transB=1) per layer with Relu
 * between, or - in "matmul" style - MatMul on a transposed weight followed by Add.
 */
import type { DenseLayer } from "../types.js";
import { ProtoWriter, asText, readFields } from "./protobuf.js";

/** Graph input and output names. */
export const ONNX_INPUT = "embedding";
export const ONNX_OUTPUT = "logits";

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTRIBUTE_INT = 2; // AttributeProto.AttributeType.INT
const IR_VERSION = 8;
const OPSET = 13;

/** How linear layers are spelled in the graph. */
export type LinearStyle = "gemm" | "matmul";

function floatBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

function tensor(writer: ProtoWriter, name: string, dims: readonly number[], values: Float32Array): void {
  for (const dim of dims) writer.varint(1, dim);
  writer.varint(2, FLOAT).string(8, name).bytes(9, floatBytes(values));
}

function valueInfo(writer: ProtoWriter, name: string, dims: readonly (number | string)[]): void {
  writer.string(1, name).message(2, (type) =>
    type.message(1, (tensorType) =>
      tensorType.varint(1, FLOAT).message(2, (shape) => {
        for (const dim of dims) shape.message(1, (d) => (typeof dim === "number" ? d.varint(1, dim) : d.string(2, dim)));
      }),
    ),
  );
}

function node(writer: ProtoWriter, op: string, inputs: readonly string[], output: string, name: string, intAttributes: Record<string, number> = {}): void {
  for (const input of inputs) writer.string(1, input);
  writer.string(2, output).string(3, name).string(4, op);
  for (const [key, value] of Object.entries(intAttributes)) writer.message(5, (a) => a.string(1, key).varint(20, ATTRIBUTE_INT).varint(3, value));
}

function transpose(layer: DenseLayer): Float32Array {
  const out = new Float32Array(layer.weights.length);
  for (let o = 0; o < layer.outputs; o++) for (let i = 0; i < layer.inputs; i++) out[i * layer.outputs + o] = layer.weights[o * layer.inputs + i]!;
  return out;
}

/** Serialises layers (ReLU between them) as an ONNX ModelProto with string metadata. */
export function buildOnnxModel(layers: readonly DenseLayer[], metadata: Readonly<Record<string, string>>, style: LinearStyle = "gemm"): Uint8Array {
  const graph = new ProtoWriter();
  let current = ONNX_INPUT;
  layers.forEach((layer, index) => {
    const last = index === layers.length - 1;
    const linearOut = last ? ONNX_OUTPUT : `linear_${index}`;
    if (style === "gemm") {
      graph.message(1, (n) => node(n, "Gemm", [current, `weight_${index}`, `bias_${index}`], linearOut, `gemm_${index}`, { transB: 1 }));
    } else {
      graph.message(1, (n) => node(n, "MatMul", [current, `weight_${index}`], `matmul_${index}`, `matmul_${index}`));
      graph.message(1, (n) => node(n, "Add", [`matmul_${index}`, `bias_${index}`], linearOut, `add_${index}`));
    }
    if (!last) {
      graph.message(1, (n) => node(n, "Relu", [linearOut], `relu_${index}`, `relu_${index}`));
      current = `relu_${index}`;
    }
  });
  graph.string(2, "moe_router_head");
  layers.forEach((layer, index) => {
    if (style === "gemm") graph.message(5, (t) => tensor(t, `weight_${index}`, [layer.outputs, layer.inputs], layer.weights));
    else graph.message(5, (t) => tensor(t, `weight_${index}`, [layer.inputs, layer.outputs], transpose(layer)));
    graph.message(5, (t) => tensor(t, `bias_${index}`, [layer.outputs], layer.bias));
  });
  graph.message(11, (v) => valueInfo(v, ONNX_INPUT, ["batch", layers[0]!.inputs]));
  graph.message(12, (v) => valueInfo(v, ONNX_OUTPUT, ["batch", layers.at(-1)!.outputs]));

  const model = new ProtoWriter();
  model.varint(1, IR_VERSION).string(2, "moe-router").string(3, "1");
  model.bytes(7, graph.finish());
  model.message(8, (opset) => opset.string(1, "").varint(2, OPSET));
  for (const [key, value] of Object.entries(metadata)) model.message(14, (entry) => entry.string(1, key).string(2, value));
  return model.finish();
}

/** What {@link inspectOnnxModel} finds. */
export interface OnnxModelInfo {
  /** ModelProto.metadata_props. */
  readonly metadata: Record<string, string>;
  /** Static input shapes by input name (-1 for a symbolic dimension). */
  readonly inputShapes: Record<string, number[]>;
}

/** Reads metadata and input shapes from ONNX bytes (throws on malformed protobuf). */
export function inspectOnnxModel(bytes: Uint8Array): OnnxModelInfo {
  const metadata: Record<string, string> = {};
  const inputShapes: Record<string, number[]> = {};
  for (const { field, value } of readFields(bytes)) {
    if (field === 14 && value instanceof Uint8Array) {
      let key = "";
      let text = "";
      for (const entry of readFields(value)) {
        if (entry.field === 1) key = asText(entry.value);
        if (entry.field === 2) text = asText(entry.value);
      }
      metadata[key] = text;
    }
    if (field === 7 && value instanceof Uint8Array) {
      for (const graphField of readFields(value)) {
        if (graphField.field !== 11 || !(graphField.value instanceof Uint8Array)) continue;
        let name = "";
        const dims: number[] = [];
        for (const info of readFields(graphField.value)) {
          if (info.field === 1) name = asText(info.value);
          if (info.field === 2 && info.value instanceof Uint8Array) collectDims(info.value, dims);
        }
        inputShapes[name] = dims;
      }
    }
  }
  return { metadata, inputShapes };
}

/** TypeProto -> tensor_type(1) -> shape(2) -> dim(1)* -> dim_value(1) | dim_param(2). */
function collectDims(typeProto: Uint8Array, dims: number[]): void {
  for (const typeField of readFields(typeProto)) {
    if (typeField.field !== 1 || !(typeField.value instanceof Uint8Array)) continue;
    for (const tensorField of readFields(typeField.value)) {
      if (tensorField.field !== 2 || !(tensorField.value instanceof Uint8Array)) continue;
      for (const dim of readFields(tensorField.value)) {
        if (dim.field !== 1 || !(dim.value instanceof Uint8Array)) continue;
        const parts = readFields(dim.value);
        const fixed = parts.find((p) => p.field === 1);
        dims.push(fixed && typeof fixed.value === "number" ? fixed.value : -1);
      }
    }
  }
}
