import { createHash } from "node:crypto";

/**
 * Key of an exemplar text in the vector cache: 128 bits of SHA-256, hex. The text is
 * hashed exactly as embedded (no normalisation), because any change of the text can
 * change its vector.
 */
export function textKey(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 32);
}
