/**
 * Generates a tiny sentence-transformers-style model directory, as `optimum` would export
 * one: config.json (BERT), tokenizer.json (WordPiece) + tokenizer_config.json, and
 * onnx/model.onnx. The graph is
 *   last_hidden_state = Tanh((WordEmbedding[input_ids] + TypeEmbedding[token_type_ids]) x W)
 * It has no attention, so a padding token never changes a real token's state, while the
 * padding rows themselves are non-zero: only pooling that honours the attention mask gives
 * a padded sentence the same vector as the sentence alone.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DataType, encodeModel } from "./onnx.js";

export const SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;
export const WORDS = [
  "fix",
  "the",
  "login",
  "bug",
  "deploy",
  "api",
  "to",
  "production",
  "check",
  "stock",
  "in",
  "warehouse",
  "reset",
  "my",
  "password",
  "a",
  "an",
  "and",
  "of",
  "for",
  "build",
  "release",
  "test",
  "order",
  "dep",
  "##loy",
  "##ing",
  "##ed",
  "##s",
  ".",
  ",",
  "!",
  "?",
];
export const HIDDEN = 8;

/** The model's weights, for computing expected vectors in tests. */
export interface TinyModel {
  readonly dir: string;
  readonly vocab: readonly string[];
  readonly wordEmbeddings: Float32Array; // [vocab, HIDDEN]
  readonly typeEmbeddings: Float32Array; // [2, HIDDEN]
  readonly projection: Float32Array; // [HIDDEN, HIDDEN]
}

/** Deterministic weights in [-1, 1) (a small LCG, so every run writes the same model). */
function weights(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 0x80000000 - 1;
  }
  return out;
}

function tokenizerJson(vocab: readonly string[]): unknown {
  const ids = Object.fromEntries(vocab.map((token, id) => [token, id]));
  const special = (content: string) => ({ id: ids[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [ids["[CLS]"]], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [ids["[SEP]"]], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: ids },
  };
}

/** Writes the model into `dir` (created if needed) and returns its weights. */
export function writeTinyModel(dir: string, options: { quantizedCopy?: boolean; pooledOutput?: boolean } = {}): TinyModel {
  const vocab = [...SPECIAL_TOKENS, ...WORDS];
  const wordEmbeddings = weights(vocab.length * HIDDEN, 1);
  const typeEmbeddings = weights(2 * HIDDEN, 2);
  const projection = weights(HIDDEN * HIDDEN, 3);
  const model = encodeModel({
    name: "tiny-bert",
    nodes: [
      { op: "Gather", inputs: ["word_embeddings", "input_ids"], outputs: ["words"] },
      { op: "Gather", inputs: ["type_embeddings", "token_type_ids"], outputs: ["types"] },
      { op: "Add", inputs: ["words", "types"], outputs: ["summed"] },
      { op: "MatMul", inputs: ["summed", "projection"], outputs: ["projected"] },
      { op: "Tanh", inputs: ["projected"], outputs: ["last_hidden_state"] },
      // Some exports pool inside the graph; this variant averages over all tokens (mask ignored).
      ...(options.pooledOutput ? [{ op: "ReduceMean", inputs: ["last_hidden_state"], outputs: ["sentence_embedding"], attributes: { axes: [1], keepdims: 0 } }] : []),
    ],
    initializers: [
      { name: "word_embeddings", dims: [vocab.length, HIDDEN], values: wordEmbeddings },
      { name: "type_embeddings", dims: [2, HIDDEN], values: typeEmbeddings },
      { name: "projection", dims: [HIDDEN, HIDDEN], values: projection },
    ],
    inputs: [
      { name: "input_ids", type: DataType.INT64, shape: ["batch_size", "sequence_length"] },
      // Present because real BERT exports take it; this graph has no attention to use it in.
      { name: "attention_mask", type: DataType.INT64, shape: ["batch_size", "sequence_length"] },
      { name: "token_type_ids", type: DataType.INT64, shape: ["batch_size", "sequence_length"] },
    ],
    outputs: options.pooledOutput
      ? [{ name: "sentence_embedding", type: DataType.FLOAT, shape: ["batch_size", HIDDEN] }]
      : [{ name: "last_hidden_state", type: DataType.FLOAT, shape: ["batch_size", "sequence_length", HIDDEN] }],
  });
  mkdirSync(join(dir, "onnx"), { recursive: true });
  writeFileSync(join(dir, "onnx", "model.onnx"), model);
  // Same graph under the quantized name: enough to check that `quantized: true` picks that file.
  if (options.quantizedCopy) writeFileSync(join(dir, "onnx", "model_quantized.onnx"), model);
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({
      model_type: "bert",
      architectures: ["BertModel"],
      hidden_size: HIDDEN,
      num_attention_heads: 1,
      num_hidden_layers: 1,
      intermediate_size: 16,
      vocab_size: vocab.length,
      max_position_embeddings: 64,
      type_vocab_size: 2,
      pad_token_id: 0,
    }),
  );
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(tokenizerJson(vocab)));
  writeFileSync(
    join(dir, "tokenizer_config.json"),
    JSON.stringify({
      tokenizer_class: "BertTokenizer",
      do_lower_case: true,
      model_max_length: 64,
      pad_token: "[PAD]",
      unk_token: "[UNK]",
      cls_token: "[CLS]",
      sep_token: "[SEP]",
      mask_token: "[MASK]",
    }),
  );
  return { dir, vocab, wordEmbeddings, typeEmbeddings, projection };
}

/**
 * The vector the adapter should produce for `tokens` (already word-pieces, without
 * [CLS]/[SEP]): mean over [CLS] tokens [SEP] of the hidden states, L2-normalised.
 */
export function expectedVector(model: TinyModel, tokens: readonly string[]): Float32Array {
  const ids = ["[CLS]", ...tokens, "[SEP]"].map((t) => {
    const id = model.vocab.indexOf(t);
    if (id < 0) throw new Error(`token ${t} is not in the tiny vocabulary`);
    return id;
  });
  const sum = new Float64Array(HIDDEN);
  for (const id of ids) {
    for (let j = 0; j < HIDDEN; j++) {
      let value = 0;
      for (let k = 0; k < HIDDEN; k++) {
        value += (model.wordEmbeddings[id * HIDDEN + k]! + model.typeEmbeddings[k]!) * model.projection[k * HIDDEN + j]!;
      }
      sum[j]! += Math.tanh(value);
    }
  }
  const norm = Math.sqrt(sum.reduce((s, x) => s + x * x, 0));
  return Float32Array.from(sum, (x) => x / norm);
}
