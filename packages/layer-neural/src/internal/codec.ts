/**
 * Float32 <-> base64 with an explicit little-endian byte order, so a model file written
 * on one machine loads bit-identically on any other.
 */

/** Concatenates float arrays into little-endian bytes, base64-encoded. */
export function encodeFloat32(arrays: readonly Float32Array[]): string {
  const total = arrays.reduce((sum, array) => sum + array.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++, offset += 4) view.setFloat32(offset, array[i]!, true);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Decodes base64 little-endian float32 data; undefined when the byte count is not a multiple of 4. */
export function decodeFloat32(base64: string): Float32Array | undefined {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.byteLength % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
