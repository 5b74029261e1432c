/**
 * Hex conversions on the indexer's hot path (every Bytes value of every event and entity): table
 * lookups without viem's per-call checks, which showed in profiles. Input comes from the chain
 * client or from the store this host wrote, both lowercase or mixed-case 0x-hex.
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[97 + i] = 10 + i;
  NIBBLE[65 + i] = 10 + i;
}

export function bytesToHexFast(bytes: Uint8Array): `0x${string}` {
  let out = "0x";
  for (const byte of bytes) out += HEX[byte] ?? "";
  return out as `0x${string}`;
}

export function hexToBytesFast(hex: string): Uint8Array {
  if (!hex.startsWith("0x") || hex.length % 2 !== 0)
    throw new Error(`not 0x-hex bytes: "${hex.slice(0, 20)}"`);
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) {
    const high = NIBBLE[hex.charCodeAt(2 + i * 2)] ?? -1;
    const low = NIBBLE[hex.charCodeAt(3 + i * 2)] ?? -1;
    if (high < 0 || low < 0) throw new Error(`not 0x-hex bytes: "${hex.slice(0, 20)}"`);
    out[i] = (high << 4) | low;
  }
  return out;
}
