/**
 * Assembles the WebAssembly keccak module behind the wasm HashEngine, byte by
 * byte, so the build needs no compiler toolchain and the output is
 * reproducible from this file alone (a test regenerates it and compares with
 * the committed generated/keccakWasm.ts).
 *
 * Why hand-assembled rather than AssemblyScript or C: the module is five small
 * functions over 64-bit lanes; a ~200-line assembler states them exactly, adds
 * no dev dependency, and keeps the module under 4 KB, the limit browsers put
 * on synchronous compilation on the main thread.
 *
 * Memory layout (all offsets in bytes; everything from HEAP_START belongs to
 * the JS caller):
 *   0    round constants, 24 little-endian u64 (data segment)
 *   256  sponge state, 25 lanes (200 bytes)
 *   512  padded last block (136 bytes)
 *   768  swapped pair of children (64 bytes)
 *   1024 first digest of a leaf (32 bytes)
 *
 * Exports (all i32 arguments are byte offsets or counts):
 *   keccak(in, len, out)                       keccak256 of [in, in+len) → [out, out+32)
 *   hashLeaves(in, count, stride, out)         for each of count leaves of stride bytes:
 *                                              keccak256(keccak256(leaf)) → out + 32i
 *   placeLeaves(nodes, hashes, order, n)       hash order[k] (u32 at order + 4k) → node 2n-2-k
 *   buildLevels(nodes, n)                      node i = keccak256(sorted(node 2i+1, node 2i+2)),
 *                                              i = n-2 down to 0 (OpenZeppelin's layout)
 */

import { KECCAK_WASM_LAYOUT } from "./keccakWasmLayout.ts";

const RATE = 136;
const L = KECCAK_WASM_LAYOUT;

// Opcodes used (WebAssembly core spec 2.0, binary format).
const I32 = 0x7f;
const I64 = 0x7e;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i64Load: 0x29,
  i32Load8U: 0x2d,
  i64Store: 0x37,
  i32Store8: 0x3a,
  i32Const: 0x41,
  i64Const: 0x42,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtU: 0x4b,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Or: 0x72,
  i32Shl: 0x74,
  i64And: 0x83,
  i64Xor: 0x85,
  i64Rotl: 0x89,
} as const;
const VOID_BLOCK = 0x40;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: bigint): number[] {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const get = (i: number): number[] => [op.localGet, ...uleb(i)];
const set = (i: number): number[] => [op.localSet, ...uleb(i)];
const tee = (i: number): number[] => [op.localTee, ...uleb(i)];
const i32 = (n: number): number[] => [op.i32Const, ...sleb(BigInt(n))];
const i64 = (n: bigint): number[] => [op.i64Const, ...sleb(BigInt.asIntN(64, n))];
// memarg: alignment exponent, then a constant offset added to the address.
const i64Load = (offset: number): number[] => [op.i64Load, 3, ...uleb(offset)];
const i64Store = (offset: number): number[] => [op.i64Store, 3, ...uleb(offset)];
const i32Load = (offset: number): number[] => [op.i32Load, 2, ...uleb(offset)];
const load8 = (offset: number): number[] => [op.i32Load8U, 0, ...uleb(offset)];
const store8 = (offset: number): number[] => [op.i32Store8, 0, ...uleb(offset)];
// Bulk memory (0xFC prefix): copy(dst, src, len) and fill(dst, byte, len).
const memoryCopy = [0xfc, 10, 0, 0];
const memoryFill = [0xfc, 11, 0];
const call = (f: number): number[] => [op.call, ...uleb(f)];

/** Round constants of Keccak-f[1600] from its LFSR (FIPS 202, algorithm 5). */
export function keccakRoundConstants(): bigint[] {
  let r = 1;
  const bit = (): number => {
    const out = r & 1;
    r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    return out;
  };
  const constants: bigint[] = [];
  for (let round = 0; round < 24; round++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) if (bit()) c |= 1n << BigInt((1 << j) - 1);
    constants.push(c);
  }
  return constants;
}

/** Rotation offsets r[x][y] (rho), walked as FIPS 202 algorithm 2 does. */
export function keccakRotations(): number[][] {
  const r = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    const row = r[x];
    if (row === undefined) throw new Error("unreachable");
    row[y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  return r;
}

const lane = (x: number, y: number): number => (x % 5) + 5 * (y % 5);

// Function indices.
const F_PERMUTE = 0;
const F_KECCAK = 1;

/** permute(): Keccak-f[1600] on the state in memory, lanes held in locals. */
function permuteBody(): { locals: number[][]; code: number[] } {
  const a = (i: number): number => i; // locals 0..24
  const b = (i: number): number => 25 + i; // 25..49
  const c = (x: number): number => 50 + x; // 50..54
  const d = 55;
  const round = 56;
  const rot = keccakRotations();
  const code: number[] = [];
  for (let i = 0; i < 25; i++) code.push(...i32(0), ...i64Load(L.state + 8 * i), ...set(a(i)));
  code.push(op.loop, VOID_BLOCK);
  // theta: column parities
  for (let x = 0; x < 5; x++) {
    code.push(...get(a(x)));
    for (let y = 1; y < 5; y++) code.push(...get(a(lane(x, y))), op.i64Xor);
    code.push(...set(c(x)));
  }
  // theta applied while moving each lane to its rho+pi place: B[y][2x+3y] = rotl(A[x][y] ^ D[x], r[x][y])
  for (let x = 0; x < 5; x++) {
    code.push(...get(c((x + 4) % 5)), ...get(c((x + 1) % 5)), ...i64(1n), op.i64Rotl, op.i64Xor);
    code.push(...set(d));
    for (let y = 0; y < 5; y++) {
      code.push(...get(a(lane(x, y))), ...get(d), op.i64Xor);
      const n = rot[x]?.[y] ?? 0;
      if (n !== 0) code.push(...i64(BigInt(n)), op.i64Rotl);
      code.push(...set(b(lane(y, 2 * x + 3 * y))));
    }
  }
  // chi: A[x][y] = B[x][y] ^ (~B[x+1][y] & B[x+2][y])
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      code.push(...get(b(lane(x, y))), ...get(b(lane(x + 1, y))), ...i64(-1n), op.i64Xor);
      code.push(...get(b(lane(x + 2, y))), op.i64And, op.i64Xor, ...set(a(lane(x, y))));
    }
  }
  // iota: round constant from the table at offset 0
  code.push(...get(a(0)), ...get(round), ...i32(3), op.i32Shl, ...i64Load(L.roundConstants));
  code.push(op.i64Xor, ...set(a(0)));
  code.push(...get(round), ...i32(1), op.i32Add, ...tee(round), ...i32(24), op.i32LtU);
  code.push(op.brIf, 0, op.end);
  for (let i = 0; i < 25; i++) code.push(...i32(0), ...get(a(i)), ...i64Store(L.state + 8 * i));
  return {
    locals: [
      [56, I64],
      [1, I32],
    ],
    code,
  };
}

/** keccak(in, len, out): absorb full blocks from memory, pad the tail in a scratch block. */
function keccakBody(): { locals: number[][]; code: number[] } {
  const [input, len, out, last] = [0, 1, 2, 3];
  const code: number[] = [];
  code.push(...i32(L.state), ...i32(0), ...i32(200), ...memoryFill);
  code.push(op.block, VOID_BLOCK, op.loop, VOID_BLOCK);
  code.push(...get(len), ...i32(RATE), op.i32LtU, op.if, VOID_BLOCK);
  {
    // Last block: tail bytes, then pad10*1 with Keccak's 0x01 domain byte
    // (SHA3 uses 0x06). When the tail is 135 bytes both pad bytes share the
    // final byte, hence OR rather than store for the 0x80.
    code.push(...i32(L.padBlock), ...i32(0), ...i32(RATE), ...memoryFill);
    code.push(...i32(L.padBlock), ...get(input), ...get(len), ...memoryCopy);
    code.push(...get(len), ...i32(1), ...store8(L.padBlock));
    code.push(...i32(0), ...i32(0), ...load8(L.padBlock + RATE - 1), ...i32(0x80), op.i32Or);
    code.push(...store8(L.padBlock + RATE - 1));
    code.push(...i32(L.padBlock), ...set(input), ...i32(1), ...set(last));
  }
  code.push(op.end);
  for (let k = 0; k < RATE / 8; k++) {
    code.push(...i32(0), ...i32(0), ...i64Load(L.state + 8 * k));
    code.push(...get(input), ...i64Load(8 * k), op.i64Xor, ...i64Store(L.state + 8 * k));
  }
  code.push(...call(F_PERMUTE), ...get(last), op.brIf, 1);
  code.push(...get(input), ...i32(RATE), op.i32Add, ...set(input));
  code.push(...get(len), ...i32(RATE), op.i32Sub, ...set(len));
  code.push(op.br, 0, op.end, op.end);
  code.push(...get(out), ...i32(L.state), ...i32(32), ...memoryCopy);
  return { locals: [[1, I32]], code };
}

/** hashLeaves(in, count, stride, out): the standard leaf hash of each packed leaf. */
function hashLeavesBody(): { locals: number[][]; code: number[] } {
  const [input, count, stride, out] = [0, 1, 2, 3];
  const code: number[] = [];
  code.push(op.block, VOID_BLOCK, ...get(count), op.i32Eqz, op.brIf, 0, op.loop, VOID_BLOCK);
  code.push(...get(input), ...get(stride), ...i32(L.leafDigest), ...call(F_KECCAK));
  code.push(...i32(L.leafDigest), ...i32(32), ...get(out), ...call(F_KECCAK));
  code.push(...get(input), ...get(stride), op.i32Add, ...set(input));
  code.push(...get(out), ...i32(32), op.i32Add, ...set(out));
  code.push(...get(count), ...i32(1), op.i32Sub, ...tee(count), op.brIf, 0, op.end, op.end);
  return { locals: [], code };
}

/** placeLeaves(nodes, hashes, order, n): sorted leaf k goes to node 2n-2-k. */
function placeLeavesBody(): { locals: number[][]; code: number[] } {
  const [nodes, hashes, order, n, dst, src] = [0, 1, 2, 3, 4, 5];
  const code: number[] = [];
  code.push(...get(n), ...i32(1), op.i32Shl, ...i32(2), op.i32Sub, ...i32(5), op.i32Shl);
  code.push(...get(nodes), op.i32Add, ...set(dst));
  code.push(op.block, VOID_BLOCK, ...get(n), op.i32Eqz, op.brIf, 0, op.loop, VOID_BLOCK);
  code.push(...get(order), ...i32Load(0), ...i32(5), op.i32Shl, ...get(hashes), op.i32Add);
  code.push(...set(src));
  for (let q = 0; q < 4; q++) {
    code.push(...get(dst), ...get(src), ...i64Load(8 * q), ...i64Store(8 * q));
  }
  code.push(...get(dst), ...i32(32), op.i32Sub, ...set(dst));
  code.push(...get(order), ...i32(4), op.i32Add, ...set(order));
  code.push(...get(n), ...i32(1), op.i32Sub, ...tee(n), op.brIf, 0, op.end, op.end);
  return { locals: [[2, I32]], code };
}

/** buildLevels(nodes, n): internal nodes bottom-up, smaller child first. */
function buildLevelsBody(): { locals: number[][]; code: number[] } {
  const [nodes, n, i, left, j, x, y, src] = [0, 1, 2, 3, 4, 5, 6, 7];
  const code: number[] = [];
  code.push(...get(n), ...i32(2), op.i32Sub, ...set(i));
  code.push(op.block, VOID_BLOCK, op.loop, VOID_BLOCK);
  code.push(...get(i), ...i32(0), op.i32LtS, op.brIf, 1);
  // Children 2i+1 and 2i+2 are adjacent: 64 bytes from nodes + 64i + 32.
  code.push(...get(nodes), ...get(i), ...i32(6), op.i32Shl, op.i32Add, ...i32(32), op.i32Add);
  code.push(...tee(left), ...set(src), ...i32(0), ...set(j));
  // Compare big-endian byte by byte; random hashes almost always differ in byte 0.
  code.push(op.block, VOID_BLOCK, op.loop, VOID_BLOCK);
  code.push(...get(left), ...get(j), op.i32Add, ...load8(0), ...set(x));
  code.push(...get(left), ...get(j), op.i32Add, ...load8(32), ...set(y));
  code.push(...get(x), ...get(y), op.i32Ne, op.if, VOID_BLOCK);
  code.push(...get(x), ...get(y), op.i32GtU, op.if, VOID_BLOCK);
  code.push(...i32(L.pair), ...get(left), ...i32(32), op.i32Add, ...i32(32), ...memoryCopy);
  code.push(...i32(L.pair + 32), ...get(left), ...i32(32), ...memoryCopy);
  code.push(...i32(L.pair), ...set(src), op.end);
  code.push(op.br, 2, op.end);
  code.push(...get(j), ...i32(1), op.i32Add, ...tee(j), ...i32(32), op.i32LtU, op.brIf, 0);
  code.push(op.end, op.end);
  code.push(...get(src), ...i32(64), ...get(nodes), ...get(i), ...i32(5), op.i32Shl, op.i32Add);
  code.push(...call(F_KECCAK));
  code.push(...get(i), ...i32(1), op.i32Sub, ...set(i), op.br, 0, op.end, op.end);
  return { locals: [[6, I32]], code };
}

/** The module's bytes. */
export function assembleKeccakWasm(): Uint8Array {
  const types = [
    [0x60, 0, 0], // () -> ()
    [0x60, ...vec([[I32], [I32], [I32]]), 0], // (i32 x3) -> ()
    [0x60, ...vec([[I32], [I32], [I32], [I32]]), 0], // (i32 x4) -> ()
    [0x60, ...vec([[I32], [I32]]), 0], // (i32 x2) -> ()
  ];
  const functions = [
    { type: 0, body: permuteBody() },
    { type: 1, body: keccakBody(), exportAs: "keccak" },
    { type: 2, body: hashLeavesBody(), exportAs: "hashLeaves" },
    { type: 2, body: placeLeavesBody(), exportAs: "placeLeaves" },
    { type: 3, body: buildLevelsBody(), exportAs: "buildLevels" },
  ];
  const exports: number[][] = [[...name("memory"), 0x02, 0]];
  functions.forEach((f, index) => {
    if (f.exportAs !== undefined) exports.push([...name(f.exportAs), 0x00, ...uleb(index)]);
  });
  const codes = functions.map(({ body }) => {
    const entry = [...vec(body.locals.map(([count = 0, type = I32]) => [...uleb(count), type]))];
    entry.push(...body.code, op.end);
    return [...uleb(entry.length), ...entry];
  });
  const constants: number[] = [];
  for (const c of keccakRoundConstants()) {
    for (let k = 0n; k < 8n; k++) constants.push(Number((c >> (8n * k)) & 0xffn));
  }
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((f) => uleb(f.type)))),
    ...section(5, vec([[0x00, ...uleb(1)]])), // one memory, 1 page, growable from JS
    ...section(7, vec(exports)),
    ...section(10, vec(codes)),
    ...section(
      11,
      vec([[0x00, ...i32(L.roundConstants), op.end, ...uleb(constants.length), ...constants]]),
    ),
  ];
  return new Uint8Array(bytes);
}

/** The text of generated/keccakWasm.ts for these bytes. */
export function renderKeccakWasmModule(bytes: Uint8Array): string {
  const base64 = btoa(String.fromCharCode(...bytes));
  const lines = base64.match(/.{1,76}/g) ?? [];
  return [
    "// Generated — do not edit. Regenerate with:",
    "//   node sdk/src/merkle/generated/generateKeccakWasm.ts > sdk/src/merkle/generated/keccakWasm.ts",
    "// Source: sdk/src/merkle/wasm/assembleKeccakWasm.ts (layout and exports documented there).",
    "",
    `/** The keccak WebAssembly module (${bytes.length} bytes), base64. */`,
    "export const KECCAK_WASM_BASE64 =",
    lines.map((l) => `  "${l}"`).join(" +\n") + ";",
    "",
  ].join("\n");
}
