/**
 * A minimal protocol-buffers writer and reader: just the wire types an ONNX model needs
 * (varint, 32-bit, length-delimited). Enough to write a head's graph and to read back
 * metadata and input shapes, without a protobuf dependency.
 */

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** Appends fields to a growing buffer. */
export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`ProtoWriter: varint must be a safe non-negative integer, got ${value}`);
    this.ensure(10);
    let rest = value;
    // Division, not bit shifts: values may exceed 32 bits (int64 fields).
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  /** An int32/int64/enum/bool field (non-negative values only). */
  varint(field: number, value: number): this {
    this.tag(field, VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A `float` field. */
  float(field: number, value: number): this {
    this.tag(field, FIXED32);
    this.ensure(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  /** A `bytes` field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** A `string` field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** An embedded message field. */
  message(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/** One decoded field: a number for varint/fixed32 (raw bits), bytes for length-delimited. */
export interface ProtoField {
  readonly field: number;
  readonly value: number | Uint8Array;
}

/** Decodes the top-level fields of a message. Throws on malformed input. */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (offset >= bytes.length) throw new RangeError("protobuf: truncated varint");
      const byte = bytes[offset++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new RangeError("protobuf: varint too long");
    }
  };
  while (offset < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === VARINT) {
      fields.push({ field, value: varint() });
    } else if (wireType === LENGTH_DELIMITED) {
      const size = varint();
      if (offset + size > bytes.length) throw new RangeError("protobuf: truncated field");
      fields.push({ field, value: bytes.subarray(offset, offset + size) });
      offset += size;
    } else if (wireType === FIXED32) {
      if (offset + 4 > bytes.length) throw new RangeError("protobuf: truncated fixed32");
      fields.push({ field, value: new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, true) });
      offset += 4;
    } else if (wireType === FIXED64) {
      offset += 8;
    } else {
      throw new RangeError(`protobuf: unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

/** Decodes a length-delimited field as UTF-8 text. */
export function asText(value: number | Uint8Array): string {
  return typeof value === "number" ? String(value) : new TextDecoder().decode(value);
}
