import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Hex } from "viem";
import { readEntitySchema, type EntitySchema } from "../query/readEntitySchema.ts";
import type { EntityData } from "../store/openEntityStore.ts";
import { AscHeap, type MappingExports } from "./ascHeap.ts";
import { EntityValidationError, ValueKind, readEntity, writeEntity } from "./entityValues.ts";
import type { EventInput } from "./ethereumEvent.ts";
import { HandlerError, MappingRuntime, type EntitySession } from "./mappingRuntime.ts";
import { PristineInstance } from "./pristineInstance.ts";
import { DEFAULT_BUILD_DIR } from "./readBuiltManifest.ts";
import { loadBuiltMapping } from "./testing/loadBuiltMapping.ts";

const SITE_ID: Hex = `0x${"11".repeat(32)}`;
const MACHINE_ID: Hex = `0x${"ab".repeat(32)}`;

/** EnergyRegistry.MachineRegistered(indexed bytes32 siteId, indexed bytes32 machineId, string name). */
const machineRegistered: EventInput = {
  address: `0x${"42".repeat(20)}`,
  logIndex: 3n,
  transactionLogIndex: 3n,
  block: {
    hash: `0x${"01".repeat(32)}`,
    parentHash: `0x${"02".repeat(32)}`,
    number: 7n,
    timestamp: 1_700_000_000n,
  },
  transaction: { hash: `0x${"03".repeat(32)}`, index: 0n },
  inputs: [
    { name: "siteId", type: "bytes32" },
    { name: "machineId", type: "bytes32" },
    { name: "name", type: "string" },
  ],
  args: { siteId: SITE_ID, machineId: MACHINE_ID, name: "Press 1" },
};

// The lines of the Machine type handleMachineRegistered sets, as schema.graphql has them.
const MACHINE_HEAD =
  "type Machine @entity(immutable: false) {\n  id: ID!\n  site: Site!\n  name: String!\n";

async function schemaText(): Promise<string> {
  const text = await readFile(path.join(DEFAULT_BUILD_DIR, "schema.graphql"), "utf8");
  assert.ok(
    text.includes(MACHINE_HEAD),
    "schema.graphql's Machine type starts as the test expects",
  );
  return text;
}

/** The schema with Machine's `name: String!` line replaced: a schema the mapping no longer fits. */
async function schemaWithMachineName(lines: string): Promise<EntitySchema> {
  const text = await schemaText();
  return readEntitySchema(
    text.replace(MACHINE_HEAD, MACHINE_HEAD.replace("  name: String!\n", lines)),
  );
}

/** Runs handleMachineRegistered against `schema`; returns what it saved and the error it threw. */
async function registerMachine(schema: EntitySchema) {
  const runtime = new MappingRuntime({ schema, log: () => undefined });
  await runtime.load(
    "EnergyRegistry",
    path.join(DEFAULT_BUILD_DIR, "EnergyRegistry", "EnergyRegistry.wasm"),
  );
  const saved: { type: string; id: string; data: EntityData }[] = [];
  const session: EntitySession = {
    get: () => null,
    getInBlock: () => null,
    set: (type, id, data) => saved.push({ type, id, data }),
    remove: () => assert.fail("the handler removes nothing"),
  };
  let error: unknown = null;
  try {
    runtime.run({
      dataSource: { name: "EnergyRegistry", address: machineRegistered.address, network: "test" },
      handler: "handleMachineRegistered",
      event: machineRegistered,
      session,
    });
  } catch (caught) {
    error = caught;
  }
  return { saved, error };
}

function assertFailedSave(
  result: Awaited<ReturnType<typeof registerMachine>>,
  pattern: RegExp,
): void {
  assert.ok(result.error instanceof HandlerError, `a HandlerError, got ${String(result.error)}`);
  assert.equal(result.error.handler, "handleMachineRegistered");
  assert.match(result.error.message, new RegExp(`^Entity Machine\\[${MACHINE_ID}\\]: `));
  assert.match(result.error.message, pattern);
  assert.deepEqual(result.saved, [], "nothing reaches the store");
}

describe("store.set of an entity that does not fit schema.graphql", () => {
  it("saves the entity the mapping built when it fits (the cases below differ only in the schema)", async () => {
    const { saved, error } = await registerMachine(readEntitySchema(await schemaText()));
    assert.equal(error, null);
    assert.deepEqual(saved, [
      {
        type: "Machine",
        id: MACHINE_ID,
        data: { id: MACHINE_ID, site: SITE_ID, name: "Press 1", registeredAtBlock: "7" },
      },
    ]);
  });

  it("fails the handler on a field the type does not have, naming type, id and field", async () => {
    assertFailedSave(
      await registerMachine(await schemaWithMachineName("")),
      /unknown field `name`/,
    );
  });

  it("fails the handler on a value for a @derivedFrom field", async () => {
    const schema = await schemaWithMachineName(
      '  name: [Device!]! @derivedFrom(field: "machine")\n',
    );
    assertFailedSave(await registerMachine(schema), /field `name` is derived \(@derivedFrom\)/);
  });

  it("fails the handler on a value of another kind than the field's type", async () => {
    const schema = await schemaWithMachineName("  name: Int!\n");
    assertFailedSave(
      await registerMachine(schema),
      /the value of field `name` is a String, the schema says Int/,
    );
  });

  it("fails the handler when a non-nullable field is not set", async () => {
    const schema = await schemaWithMachineName("  name: String!\n  serial: String!\n");
    assertFailedSave(
      await registerMachine(schema),
      /missing value for non-nullable field `serial`/,
    );
  });
});

// A type with every scalar the store keeps, lists and nullable fields.
const READING_SCHEMA = readEntitySchema(`
  type Reading @entity(immutable: true) {
    id: ID!
    label: String!
    count: Int!
    big: BigInt!
    ratio: BigDecimal!
    large: Int8!
    at: Timestamp!
    ok: Boolean!
    hash: Bytes!
    note: String
    tags: [String!]!
    counts: [Int!]!
    amounts: [BigInt!]
  }
`);
const READING = READING_SCHEMA.typesByName.get("Reading");

async function freshHeap(): Promise<AscHeap> {
  const { module, imports, indices } = await loadBuiltMapping("EnergyRegistry");
  const pool = new PristineInstance(module, imports, indices);
  const exports = pool.acquire() as MappingExports &
    Record<string, unknown> & { _start: () => void };
  exports._start();
  return new AscHeap(exports, new Map(), pool.allocatorOffset(exports));
}

describe("readEntity and writeEntity", () => {
  it("read back what store.get handed the mapping: the same JSON, keys in the order stored", async () => {
    assert.ok(READING !== undefined);
    const heap = await freshHeap();
    // Not the schema's field order: the order is the one the mapping set the fields in.
    const stored: EntityData = {
      ok: false,
      id: "r-1",
      tags: ["a", "", "ü"],
      label: "Press 1 – line 2",
      count: -2_147_483_648,
      big: "-123456789012345678901234567890",
      ratio: "-12.345",
      large: 9_007_199_254_740_991,
      at: 1_700_000_000_000_000,
      hash: "0x00ff10",
      note: null,
      counts: [0, 1, -1, 2_147_483_647],
      amounts: ["0", "1", "-340282366920938463463374607431768211456"],
    };
    const ptr = writeEntity(heap, stored, READING, READING_SCHEMA.typesByName);
    const read = readEntity(heap, ptr, READING, "r-1", READING_SCHEMA.typesByName);
    assert.equal(JSON.stringify(read), JSON.stringify(stored));
  });

  it("rejects a list holding an element of another kind, naming type, id and field", async () => {
    assert.ok(READING !== undefined);
    const heap = await freshHeap();
    const good: EntityData = {
      id: "r-2",
      label: "x",
      count: 1,
      big: "1",
      ratio: "1",
      large: 1,
      at: 1,
      ok: true,
      hash: "0x01",
      tags: [],
      counts: [1, 2],
    };
    const ptr = writeEntity(heap, good, READING, READING_SCHEMA.typesByName);
    // Turn the second element of `counts` into a String in the mapping memory.
    const entries = heap.readArray(heap.u32(ptr));
    const countsEntry = entries.find((entry) => heap.readString(heap.u32(entry)) === "counts");
    assert.ok(countsEntry !== undefined);
    const list = heap.readArray(heap.enumLow(heap.u32(countsEntry + 4)));
    const elementsPtr = heap.u32(heap.enumLow(heap.u32(countsEntry + 4)) + 4);
    const stringValue = heap.newEnum(ValueKind.STRING, heap.newString("2"), "StoreValue");
    assert.equal(list.length, 2);
    new DataView(heap.memoryBytes().buffer).setUint32(elementsPtr + 4, stringValue, true);
    assert.throws(
      () => readEntity(heap, ptr, READING, "r-2", READING_SCHEMA.typesByName),
      (error: unknown) =>
        error instanceof EntityValidationError &&
        error.message ===
          "Entity Reading[r-2]: an element of field `counts` is a String, the schema says [Int]",
    );
  });
});
