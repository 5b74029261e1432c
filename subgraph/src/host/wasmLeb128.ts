/** LEB128 as the wasm binary format writes it: one reader, signed or not. */
function readLeb128(
  bytes: Uint8Array,
  offset: number,
  signed: boolean,
): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = bytes[position++];
    if (byte === undefined) throw new Error("wasm: truncated LEB128");
    value |= (byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) === 0) {
      if (!signed) return [value >>> 0, position];
      if (shift < 32 && (byte & 0x40) !== 0) value |= -1 << shift;
      return [value, position];
    }
  }
}

/** Unsigned LEB128, as the wasm binary format writes section sizes, counts and indices. */
export function readU32(bytes: Uint8Array, offset: number): [value: number, next: number] {
  return readLeb128(bytes, offset, false);
}

/** Signed LEB128, as an i32.const operand is written. */
export function readI32(bytes: Uint8Array, offset: number): [value: number, next: number] {
  return readLeb128(bytes, offset, true);
}

export function writeU32(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}
