/**
 * Writes `keccakWasm.ts` (to stdout): the keccak WebAssembly module assembled
 * by ../wasm/assembleKeccakWasm.ts, as base64. keccakWasm.test.ts checks that
 * the committed file is exactly what this prints.
 *
 * Run: node sdk/src/merkle/generated/generateKeccakWasm.ts > sdk/src/merkle/generated/keccakWasm.ts
 */
import { assembleKeccakWasm, renderKeccakWasmModule } from "../wasm/assembleKeccakWasm.ts";

process.stdout.write(renderKeccakWasmModule(assembleKeccakWasm()));
