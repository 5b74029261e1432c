import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  decodeEventLog,
  encodeAbiParameters,
  encodeEventTopics,
  type AbiEvent,
  type AbiParameter,
} from "viem";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AscHeap, type MappingExports } from "./ascHeap.ts";
import { decodeEventArgs, EventDecodingError } from "./decodeEventArgs.ts";
import { newEthereumEvent, type EventInput } from "./ethereumEvent.ts";
import { DEFAULT_BUILD_DIR, readBuiltManifest } from "./readBuiltManifest.ts";
import { throwingImports } from "./testing/loadBuiltMapping.ts";
import { wasm, type WasmModule } from "./webAssemblyApi.ts";

/** The mapping memory after writing `event` into a fresh DataContainers instance (after `_start`). */
function memoryAfterWriting(module: WasmModule, event: EventInput): Uint8Array {
  const exports = new wasm.Instance(module, throwingImports(module)).exports as MappingExports &
    Record<string, unknown>;
  (exports._start as () => void)();
  newEthereumEvent(new AscHeap(exports, new Map()), event);
  return new Uint8Array(exports.memory.buffer).slice();
}

/** viem's values with addresses lowercased (viem checksums them; the host only needs the bytes). */
function normalize(value: unknown): unknown {
  if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

function tupleOf(parameters: readonly AbiParameter[]): fc.Arbitrary<unknown[]> {
  return fc.tuple<unknown[]>(...parameters.map(arbitraryOf));
}

/** An arbitrary value of an ABI type, in viem's input shapes. */
function arbitraryOf(parameter: AbiParameter): fc.Arbitrary<unknown> {
  const { type } = parameter;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array !== null) {
    const element = arbitraryOf({ ...parameter, type: array[1] ?? "" });
    const length = array[2] === "" ? undefined : Number(array[2]);
    return fc.array(element, { minLength: length ?? 0, maxLength: length ?? 3 });
  }
  if (type === "tuple") {
    const components = "components" in parameter ? parameter.components : [];
    return tupleOf(components).map((values) =>
      Object.fromEntries(components.map((c, i): [string, unknown] => [c.name ?? "", values[i]])),
    );
  }
  const hex = (bytes: number) =>
    fc
      .uint8Array({ minLength: bytes, maxLength: bytes })
      .map((b) => `0x${Buffer.from(b).toString("hex")}`);
  if (type === "address") return hex(20);
  if (type === "bool") return fc.boolean();
  if (type === "string") return fc.string({ maxLength: 40 });
  if (type === "bytes")
    return fc.uint8Array({ maxLength: 70 }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
  if (type.startsWith("bytes")) return hex(Number(type.slice(5)));
  if (type.startsWith("uint")) {
    const bits = Number(type.slice(4) || "256");
    const value = fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
    return bits <= 48 ? value.map(Number) : value;
  }
  if (type.startsWith("int")) {
    const bits = BigInt(type.slice(3) || "256");
    const value = fc.bigInt({ min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n });
    return bits <= 48n ? value.map(Number) : value;
  }
  throw new Error(`no arbitrary for ${type}`);
}

describe("decodeEventArgs", async () => {
  const events: AbiEvent[] = (await readBuiltManifest()).flatMap((ds) =>
    [...ds.handlers.values()].map((h) => h.event),
  );

  it("decodes every event the subgraph handles as viem's decodeEventLog does", () => {
    assert.ok(events.length > 10);
    for (const event of events) {
      const inputs = event.inputs;
      fc.assert(
        fc.property(tupleOf(inputs), (values) => {
          const named: Record<string, unknown> = Object.fromEntries(
            inputs.map((input, i): [string, unknown] => [input.name ?? "", values[i]]),
          );
          const topics = encodeEventTopics({
            abi: [event],
            args: Object.fromEntries(
              inputs
                .filter((input) => input.indexed === true)
                .map((i): [string, unknown] => [i.name ?? "", named[i.name ?? ""]]),
            ),
          } as never) as `0x${string}`[];
          const nonIndexed = inputs.filter((input) => input.indexed !== true);
          const data = encodeAbiParameters(
            nonIndexed,
            nonIndexed.map((input) => named[input.name ?? ""]),
          );
          const expected = decodeEventLog({ abi: [event], topics: topics as never, data });
          assert.deepEqual(
            decodeEventArgs(inputs, topics, data),
            normalize(expected.args),
            event.name,
          );
        }),
        { numRuns: 15 },
      );
    }
  });

  it("writes the same ethereum.Event into the mapping from the host shape as from viem's", async () => {
    const module = await wasm.compile(
      await readFile(path.join(DEFAULT_BUILD_DIR, "DataContainers", "DataContainers.wasm")),
    );
    for (const event of events) {
      const inputs = event.inputs;
      fc.assert(
        fc.property(tupleOf(inputs), (values) => {
          const topics = encodeEventTopics({
            abi: [event],
            args: Object.fromEntries(
              inputs.flatMap((input, i): [string, unknown][] =>
                input.indexed === true ? [[input.name ?? "", values[i]]] : [],
              ),
            ),
          } as never) as `0x${string}`[];
          const nonIndexed = inputs.filter((input) => input.indexed !== true);
          const data = encodeAbiParameters(
            nonIndexed,
            inputs.flatMap((input, i) => (input.indexed === true ? [] : [values[i]])),
          );
          const eventOf = (args: Record<string, unknown>): EventInput => ({
            address: `0x${"ab".repeat(20)}`,
            logIndex: 3n,
            transactionLogIndex: 1n,
            block: {
              hash: `0x${"01".repeat(32)}`,
              parentHash: `0x${"02".repeat(32)}`,
              number: 9n,
              timestamp: 1_700_000_000n,
            },
            transaction: { hash: `0x${"03".repeat(32)}`, index: 0n },
            inputs,
            args,
          });
          assert.deepEqual(
            memoryAfterWriting(module, eventOf(decodeEventArgs(inputs, topics, data, "host"))),
            memoryAfterWriting(module, eventOf(decodeEventArgs(inputs, topics, data))),
            event.name,
          );
        }),
        { numRuns: 5 },
      );
    }
  });

  it("rejects data shorter than the event's encoding with a clear error", () => {
    const event = events.find((e) => e.name === "ContainersAnchored");
    assert.ok(event !== undefined);
    const topics = [`0x${"00".repeat(32)}`, `0x${"11".repeat(32)}`, `0x${"00".repeat(32)}`];
    assert.throws(
      () => decodeEventArgs(event.inputs, topics, `0x${"00".repeat(31)}`),
      EventDecodingError,
    );
    // An array length pointing past the end of the data.
    const data = `0x${(32).toString(16).padStart(64, "0")}${"ff".repeat(32)}`;
    assert.throws(() => decodeEventArgs(event.inputs, topics, data), EventDecodingError);
  });
});
