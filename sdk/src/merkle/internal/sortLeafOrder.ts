/* eslint-disable @typescript-eslint/no-non-null-assertion -- byte-level hot loop: every typed-array index is bounded by the loop, and a `?? 0` or check per byte costs measurable throughput. */
/**
 * The order of `count` 32-byte hashes in `hashes` sorted ascending as
 * unsigned big-endian numbers, stable (equal hashes keep input order, as
 * `Array.prototype.sort` does in OZ, so duplicate leaves get the same tree
 * indices as in `StandardMerkleTree.of`).
 *
 * An LSD radix sort on the first 4 bytes (two 16-bit passes), then the rare
 * runs sharing those 4 bytes are finished with a full comparison: ~10x faster
 * than a comparator sort of a million hashes.
 */
export function sortLeafOrder(hashes: Uint8Array, count: number): Uint32Array {
  const keys = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const o = 32 * i;
    keys[i] =
      ((hashes[o]! << 24) | (hashes[o + 1]! << 16) | (hashes[o + 2]! << 8) | hashes[o + 3]!) >>> 0;
  }
  let order = new Uint32Array(count);
  let next = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const counts = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < count; i++) counts[(keys[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < count; i++) {
      const index = order[i]!;
      next[counts[(keys[index]! >>> shift) & 0xffff]!++] = index;
    }
    [order, next] = [next, order];
  }
  for (let start = 0; start < count;) {
    let end = start + 1;
    while (end < count && keys[order[end]!] === keys[order[start]!]) end++;
    if (end - start > 1) {
      const run = Array.from(order.subarray(start, end));
      run.sort((a, b) => compareHashes(hashes, a, b) || a - b);
      order.set(run, start);
    }
    start = end;
  }
  return order;
}

function compareHashes(hashes: Uint8Array, a: number, b: number): number {
  for (let i = 0; i < 32; i++) {
    const d = hashes[32 * a + i]! - hashes[32 * b + i]!;
    if (d !== 0) return d;
  }
  return 0;
}
