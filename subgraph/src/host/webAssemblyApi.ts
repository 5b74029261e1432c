/**
 * The part of the WebAssembly JS API the host uses, typed here: the repository compiles against the
 * ES2023 lib without DOM, which is where TypeScript declares `WebAssembly`.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** An opaque compiled module. */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmImportExportDescriptor {
  module?: string;
  name: string;
  kind: string;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: {
    imports(module: WasmModule): { module: string; name: string; kind: string }[];
    exports(module: WasmModule): { name: string; kind: string }[];
  };
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => WasmInstance;
}

export const wasm: WebAssemblyApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi })
  .WebAssembly;
