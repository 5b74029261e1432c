import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { decodeLoraPayload } from "./decodeLoraPayload.ts";
import { encodeLoraDownlink } from "./encodeLoraDownlink.ts";
import { encodeLoraPayload } from "./encodeLoraPayload.ts";
import { generateTtnFormatter } from "./generateTtnFormatter.ts";
import type { LoraPayload } from "./types.ts";

const channel = (id: fc.Arbitrary<number>) =>
  fc.record({
    channel: id,
    energyImportedWh: fc.nat(0xffffffff),
    energyExportedWh: fc.nat(0xffffffff),
    powerDecawatts: fc.integer({ min: -32768, max: 32767 }),
  });
const payloadArb: fc.Arbitrary<LoraPayload> = fc.oneof(
  fc.record({
    version: fc.constant(1 as const),
    ageSeconds: fc.constant(0),
    channels: fc.tuple(channel(fc.constant(0))).map((c) => [...c]),
  }),
  fc.record({
    version: fc.constant(2 as const),
    ageSeconds: fc.nat(0xffff),
    channels: fc.array(channel(fc.nat(255)), { minLength: 1, maxLength: 4 }),
  }),
);

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof ProtocolFrameError, String(error));
    return error.reason;
  }
}

interface Formatter {
  decodeUplink(input: { bytes: number[]; fPort: number }): {
    data: unknown;
    warnings: string[];
    errors: string[];
  };
  encodeDownlink(input: { data: unknown }): { bytes: number[]; fPort: number; errors: string[] };
  decodeDownlink(input: { bytes: number[]; fPort: number }): { data: unknown; errors: string[] };
}
const formatterSource = generateTtnFormatter();
const formatter = (() => {
  const context: Record<string, unknown> = {};
  runInNewContext(formatterSource, context);
  return context as unknown as Formatter;
})();
// Objects made inside the vm context have another realm's prototypes; compare plain copies.
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe("LoRaWAN payload codec", () => {
  it("fits US915 DR0 (11 bytes) in version 1 and EU868 DR0 (51 bytes) with 4 channels in version 2", () => {
    const one = { channel: 0, energyImportedWh: 1, energyExportedWh: 2, powerDecawatts: 3 };
    assert.equal(encodeLoraPayload({ version: 1, ageSeconds: 0, channels: [one] }).length, 11);
    const four = encodeLoraPayload({ version: 2, ageSeconds: 60, channels: [one, one, one, one] });
    assert.equal(four.length, 48); // ≤ 51
  });

  it("decodes the documented example bytes", () => {
    // docs/formats.md, "LoRaWAN payload": 12 345 Wh imported, 120 W.
    const bytes = Uint8Array.from([
      0x01, 0x00, 0x00, 0x30, 0x39, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c,
    ]);
    assert.deepEqual(decodeLoraPayload(bytes, 10), {
      version: 1,
      ageSeconds: 0,
      channels: [{ channel: 0, energyImportedWh: 12345, energyExportedWh: 0, powerDecawatts: 12 }],
    });
  });

  it("round-trips every valid payload", () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        assert.deepEqual(decodeLoraPayload(encodeLoraPayload(payload), 10), plain(payload));
      }),
    );
  });

  it("refuses wrong fPort, wrong length, unknown version and bad channel counts with their reasons", () => {
    const good = encodeLoraPayload({
      version: 1,
      ageSeconds: 0,
      channels: [{ channel: 0, energyImportedWh: 1, energyExportedWh: 0, powerDecawatts: 0 }],
    });
    assert.equal(
      reason(() => decodeLoraPayload(good, 1)),
      "wrong-fport",
    );
    assert.equal(
      reason(() => decodeLoraPayload(good.subarray(0, 10), 10)),
      "wrong-length",
    );
    assert.equal(
      reason(() => decodeLoraPayload(Uint8Array.from([...good, 0]), 10)),
      "wrong-length",
    );
    assert.equal(
      reason(() => decodeLoraPayload(new Uint8Array(), 10)),
      "wrong-length",
    );
    assert.equal(
      reason(() => decodeLoraPayload(Uint8Array.from([9, 0, 0]), 10)),
      "unsupported-version",
    );
    assert.equal(
      reason(() => decodeLoraPayload(Uint8Array.from([2, 0, 0, 5]), 10)),
      "bad-value",
    );
    assert.equal(
      reason(() =>
        encodeLoraPayload({
          version: 1,
          ageSeconds: 0,
          channels: [
            { channel: 0, energyImportedWh: 2 ** 32, energyExportedWh: 0, powerDecawatts: 0 },
          ],
        }),
      ),
      "bad-value",
    );
  });

  it("never throws anything but a ProtocolFrameError on random bytes and ports", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(255), (bytes, port) => {
        reason(() => decodeLoraPayload(bytes, port));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("generated TTN v3 formatter", () => {
  it("is the committed generated/ttnFormatter.js (regenerate with `ei lora formatter`)", () => {
    const committed = readFileSync(new URL("generated/ttnFormatter.js", import.meta.url), "utf8");
    assert.equal(committed, formatterSource);
  });

  it("stays within the ES5 subset", () => {
    const code = formatterSource.replace(/\/\/.*$/gm, "");
    for (const forbidden of [
      /\blet\b/,
      /\bconst\b/,
      /=>/,
      /\bclass\b/,
      /\bBigInt\b/,
      /`/,
      /\.\.\./,
    ]) {
      assert.doesNotMatch(code, forbidden);
    }
  });

  it("decodes like the TypeScript codec on valid payloads", () => {
    fc.assert(
      fc.property(payloadArb, (payload) => {
        const result = formatter.decodeUplink({
          bytes: [...encodeLoraPayload(payload)],
          fPort: 10,
        });
        assert.deepEqual(plain(result), { data: plain(payload), warnings: [], errors: [] });
      }),
    );
  });

  it("refuses exactly what the TypeScript codec refuses, for the same reason", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 60 }),
        fc.constantFrom(10, 10, 10, 1, 11),
        (bytes, fPort) => {
          const expected = reason(() => decodeLoraPayload(bytes, fPort));
          const result = formatter.decodeUplink({ bytes: [...bytes], fPort });
          if (expected === undefined) {
            assert.deepEqual(plain(result.data), decodeLoraPayload(bytes, fPort));
          } else {
            assert.equal(result.errors.length, 1);
            assert.ok(result.errors[0]?.startsWith(expected), `${result.errors[0]} vs ${expected}`);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("encodes downlinks like encodeLoraDownlink and decodes them back", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 70_000 }), (seconds) => {
        const result = formatter.encodeDownlink({ data: { intervalSeconds: seconds } });
        const expected = reason(() => encodeLoraDownlink({ intervalSeconds: seconds }));
        if (expected !== undefined) {
          assert.equal(result.errors.length, 1);
          return;
        }
        const ours = encodeLoraDownlink({ intervalSeconds: seconds });
        assert.deepEqual(plain(result), {
          bytes: [...ours.bytes],
          fPort: ours.fPort,
          warnings: [],
          errors: [],
        });
        assert.deepEqual(
          plain(formatter.decodeDownlink({ bytes: [...ours.bytes], fPort: 11 }).data),
          { intervalSeconds: seconds },
        );
      }),
    );
  });
});
