/**
 * @moe-router/layer-keyword: the cheapest routing layer. Rules of keywords, phrases and
 * patterns (each with a weight) point to an expert with a confidence; matching is on word
 * boundaries with light normalisation, through a token index built at construction.
 */
export { keywordLayer, createLayer } from "./layer.js";
export { DEFAULT_RULES } from "./default-rules.js";
export type { KeywordLayerOptions, KeywordPattern, KeywordRule, KeywordTerm, KeywordVerdictDetails } from "./types.js";
