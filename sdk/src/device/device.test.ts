import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidInputError } from "../errors/index.ts";
import { canonicalizeJson } from "../json/index.ts";
import { canonicalDeviceMessageBody } from "./canonicalDeviceMessageBody.ts";
import {
  DEVICE_MESSAGE_FORMAT,
  type DeviceMessageBody,
  deviceMessageSchema,
} from "./deviceMessageSchema.ts";
import { isDeviceMessage } from "./isDeviceMessage.ts";
import { deviceReadingsTopic } from "./deviceReadingsTopic.ts";
import { generateDeviceKey } from "./generateDeviceKey.ts";
import { generateSecp256k1DeviceKey } from "./generateSecp256k1DeviceKey.ts";
import { deviceKeyHash } from "./deviceKeyHash.ts";
import { deviceKindCode } from "./deviceKindCode.ts";
import { keccak256 } from "viem";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { deviceMessageSigningBytes } from "./deviceMessageSigningBytes.ts";
import { parseDeviceMessage } from "./parseDeviceMessage.ts";
import { parseDeviceTopic } from "./parseDeviceTopic.ts";
import { signDeviceMessage } from "./signDeviceMessage.ts";
import { verifyDeviceMessage } from "./verifyDeviceMessage.ts";

const deviceId = `0x${"ab".repeat(32)}` as const;
const siteId = `0x${"01".repeat(32)}` as const;

function body(readingCount = 2): DeviceMessageBody {
  return {
    format: DEVICE_MESSAGE_FORMAT,
    deviceId,
    sentAtMs: 1_700_000_000_500,
    readings: Array.from({ length: readingCount }, (_, index) => ({
      channel: index % 3,
      sequence: 10 + index,
      timestampMs: 1_700_000_000_000 + index * 1000,
      energyImportedMilliWattHours: String(9_007_199_254_740_993n + BigInt(index)),
      energyExportedMilliWattHours: "0",
      powerMilliWatts: 1_500_000,
      powerFactorPerMille: 950,
      quality: "measured" as const,
    })),
  };
}

describe("device messages", () => {
  describe("signing", () => {
    it("verifies an Ed25519-signed message and refuses any change to it", () => {
      const { secretKey, publicKey } = generateDeviceKey();
      const message = signDeviceMessage({ body: body(), scheme: "ed25519", secretKey });
      assert.equal(verifyDeviceMessage({ message, publicKey }), true);
      const changed = structuredClone(message);
      const second = changed.readings[1];
      assert.ok(second);
      changed.readings[1] = { ...second, energyImportedMilliWattHours: "1" };
      assert.equal(verifyDeviceMessage({ message: changed, publicKey }), false);
      assert.equal(
        verifyDeviceMessage({ message, publicKey: generateDeviceKey().publicKey }),
        false,
      );
    });

    describe("secp256k1", () => {
      const key = generateSecp256k1DeviceKey(new Uint8Array(32).fill(9));
      it("verifies a signed message with the compressed and the uncompressed key", () => {
        const message = signDeviceMessage({
          body: body(),
          scheme: "secp256k1",
          secretKey: key.secretKey,
        });
        assert.equal(message.auth.scheme, "secp256k1");
        assert.equal(verifyDeviceMessage({ message, publicKey: key.publicKey }), true);
        const uncompressed = secp256k1.Point.fromHex(key.publicKey.slice(2)).toHex(false);
        assert.equal(verifyDeviceMessage({ message, publicKey: `0x${uncompressed}` }), true);
        // It is ECDSA over SHA-256 of the signed bytes, as a secure element computes it.
        const signature = message.auth.signature;
        assert.equal(
          secp256k1.verify(
            Buffer.from(signature.slice(2), "hex"),
            sha256(deviceMessageSigningBytes(message)),
            Buffer.from(key.publicKey.slice(2), "hex"),
            { prehash: false },
          ),
          true,
        );
      });
      it("refuses a forged message: a changed reading, another key, another scheme's key", () => {
        const message = signDeviceMessage({
          body: body(),
          scheme: "secp256k1",
          secretKey: key.secretKey,
        });
        const changed = structuredClone(message);
        changed.sentAtMs += 1;
        assert.equal(verifyDeviceMessage({ message: changed, publicKey: key.publicKey }), false);
        assert.equal(
          verifyDeviceMessage({ message, publicKey: generateSecp256k1DeviceKey().publicKey }),
          false,
        );
        // An Ed25519 key never accepts a secp256k1 signature, nor the reverse.
        assert.equal(
          verifyDeviceMessage({ message, publicKey: generateDeviceKey().publicKey }),
          false,
        );
        const ed = signDeviceMessage({
          body: body(),
          scheme: "ed25519",
          secretKey: generateDeviceKey().secretKey,
        });
        assert.equal(verifyDeviceMessage({ message: ed, publicKey: key.publicKey }), false);
        // A signature relabelled as another scheme fails.
        const relabelled = {
          ...message,
          auth: {
            scheme: "ed25519" as const,
            signature:
              message.auth.scheme === "secp256k1" ? message.auth.signature : ("0x00" as const),
          },
        };
        assert.equal(verifyDeviceMessage({ message: relabelled, publicKey: key.publicKey }), false);
      });
      it("refuses the malleated (high-s) twin of a valid signature", () => {
        const message = signDeviceMessage({
          body: body(),
          scheme: "secp256k1",
          secretKey: key.secretKey,
        });
        const hex = message.auth.scheme === "secp256k1" ? message.auth.signature : "0x";
        const signature = secp256k1.Signature.fromHex(hex.slice(2));
        const highS = new secp256k1.Signature(signature.r, secp256k1.Point.CURVE().n - signature.s);
        const twin = {
          ...message,
          auth: { scheme: "secp256k1" as const, signature: `0x${highS.toHex("compact")}` as const },
        };
        assert.equal(verifyDeviceMessage({ message: twin, publicKey: key.publicKey }), false);
      });
      it("signs deterministically (RFC 6979) and property: every body verifies, every one-bit flip does not", () => {
        fc.assert(
          fc.property(fc.nat(2 ** 40), fc.nat(63), (sentAtMs, flipByte) => {
            const message = signDeviceMessage({
              body: { ...body(1), sentAtMs },
              scheme: "secp256k1",
              secretKey: key.secretKey,
            });
            assert.deepEqual(
              signDeviceMessage({
                body: { ...body(1), sentAtMs },
                scheme: "secp256k1",
                secretKey: key.secretKey,
              }),
              message,
            );
            assert.equal(verifyDeviceMessage({ message, publicKey: key.publicKey }), true);
            const bytes = Buffer.from(
              (message.auth.scheme === "secp256k1" ? message.auth.signature : "0x").slice(2),
              "hex",
            );
            bytes[flipByte] = (bytes[flipByte] ?? 0) ^ 1;
            const flipped = {
              ...message,
              auth: {
                scheme: "secp256k1" as const,
                signature: `0x${bytes.toString("hex")}` as const,
              },
            };
            assert.equal(
              verifyDeviceMessage({ message: flipped, publicKey: key.publicKey }),
              false,
            );
          }),
          { numRuns: 50 },
        );
      });
      it("refuses a malformed key with the field's name", () => {
        assert.throws(
          () => generateSecp256k1DeviceKey(new Uint8Array(32)),
          (error: unknown) => error instanceof InvalidInputError && error.path === "secret",
        );
        const message = signDeviceMessage({
          body: body(),
          scheme: "secp256k1",
          secretKey: key.secretKey,
        });
        assert.throws(
          () => verifyDeviceMessage({ message, publicKey: `0x02${"00".repeat(32)}` }),
          (error: unknown) => error instanceof InvalidInputError && error.path === "publicKey",
        );
        assert.throws(
          () => signDeviceMessage({ body: body(), scheme: "secp256k1", secretKey: "0x12" }),
          (error: unknown) => error instanceof InvalidInputError && error.path === "secretKey",
        );
      });
    });
    it("verifies an HMAC-SHA256 message only with its secret", () => {
      const secret = `0x${"5a".repeat(32)}` as const;
      const message = signDeviceMessage({ body: body(), scheme: "hmac-sha256", secret });
      assert.equal(verifyDeviceMessage({ message, secret }), true);
      assert.equal(verifyDeviceMessage({ message, secret: `0x${"5b".repeat(32)}` }), false);
      // A MAC is not accepted where the device is registered with a public key.
      assert.equal(
        verifyDeviceMessage({ message, publicKey: generateDeviceKey().publicKey }),
        false,
      );
    });

    it("treats unsigned schemes as unverifiable", () => {
      const message = { ...body(), auth: { scheme: "polled" as const } };
      assert.equal(
        verifyDeviceMessage({ message, publicKey: generateDeviceKey().publicKey }),
        false,
      );
    });

    it("refuses a short key with the field's name", () => {
      assert.throws(
        () => signDeviceMessage({ body: body(), scheme: "hmac-sha256", secret: "0x1234" }),
        (error: unknown) => error instanceof InvalidInputError && error.path === "secret",
      );
    });

    it("reproduces the worked example of docs/formats.md", () => {
      const key = generateDeviceKey(new Uint8Array(32).fill(7));
      assert.equal(
        key.publicKey,
        "0xea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c",
      );
      const example: DeviceMessageBody = {
        format: DEVICE_MESSAGE_FORMAT,
        deviceId,
        sentAtMs: 1_700_000_000_500,
        readings: [
          {
            channel: 0,
            sequence: 10,
            timestampMs: 1_700_000_000_000,
            energyImportedMilliWattHours: "9007199254740993",
            energyExportedMilliWattHours: "0",
            powerMilliWatts: 1_500_000,
            quality: "measured" as const,
          },
        ],
      };
      const message = signDeviceMessage({
        body: example,
        scheme: "ed25519",
        secretKey: key.secretKey,
      });
      assert.equal(
        message.auth.scheme === "ed25519" ? message.auth.signature : "",
        "0xd3141cc7588ce9e0e6fe360a163be606e61778f1ffcb27d32aea098ddf5cf3d5c01379ac85482664db542c9d30c76c769ab9567745355d431a5726f7ce6b9d01",
      );
    });

    it("is deterministic for a seeded key (Ed25519 signatures are)", () => {
      const key = generateDeviceKey(new Uint8Array(32).fill(7));
      const a = signDeviceMessage({ body: body(), scheme: "ed25519", secretKey: key.secretKey });
      const b = signDeviceMessage({ body: body(), scheme: "ed25519", secretKey: key.secretKey });
      assert.deepEqual(a, b);
    });
  });

  describe("canonical body", () => {
    it("equals the generic RFC 8785 serialisation for any valid body", () => {
      const reading = fc.record(
        {
          channel: fc.integer({ min: 0, max: 0xffff_ffff }),
          sequence: fc.maxSafeNat(),
          timestampMs: fc.maxSafeNat(),
          energyImportedMilliWattHours: fc
            .bigInt({ min: 0n, max: 9_223_372_036_854_775_807n })
            .map(String),
          energyExportedMilliWattHours: fc.bigInt({ min: 0n, max: 10n ** 12n }).map(String),
          counterEpoch: fc.nat(),
          powerMilliWatts: fc.integer(),
          voltageMillivolts: fc.nat(),
          currentMilliamps: fc.nat(),
          powerFactorPerMille: fc.integer({ min: -1000, max: 1000 }),
          quality: fc.constantFrom("measured" as const, "estimated" as const, "imported" as const),
        },
        {
          requiredKeys: [
            "channel",
            "sequence",
            "timestampMs",
            "energyImportedMilliWattHours",
            "energyExportedMilliWattHours",
            "quality",
          ],
        },
      );
      fc.assert(
        fc.property(
          fc.array(reading, { minLength: 1, maxLength: 5 }),
          fc.maxSafeNat(),
          (readings, sentAtMs) => {
            const value = parseDeviceMessage({
              format: DEVICE_MESSAGE_FORMAT,
              deviceId,
              sentAtMs,
              readings,
              auth: { scheme: "serial" },
            });
            const { auth: _auth, ...bodyOnly } = value;
            assert.equal(canonicalDeviceMessageBody(value), canonicalizeJson(bodyOnly));
          },
        ),
      );
    });
  });

  describe("parsing", () => {
    interface Loose {
      deviceId: string;
      auth: unknown;
      readings: (Record<string, unknown> | undefined)[];
    }
    const valid = (): Loose =>
      JSON.parse(
        JSON.stringify({ ...body(), auth: { scheme: "ed25519", signature: "0x00" } }),
      ) as Loose;

    it("accepts a valid message", () => {
      assert.equal(parseDeviceMessage(valid()).readings.length, 2);
    });

    for (const [name, mutate, path] of [
      [
        "a counter given as a number",
        (m: Loose) => ((m.readings[1] ??= {}).energyImportedMilliWattHours = 5),
        "$.readings[1].energyImportedMilliWattHours",
      ],
      [
        "a counter with a leading zero",
        (m: Loose) => ((m.readings[0] ??= {}).energyExportedMilliWattHours = "01"),
        "$.readings[0].energyExportedMilliWattHours",
      ],
      [
        "a counter above 2^63-1",
        (m: Loose) => ((m.readings[0] ??= {}).energyImportedMilliWattHours = "9223372036854775808"),
        "$.readings[0].energyImportedMilliWattHours",
      ],
      [
        "a fractional sequence",
        (m: Loose) => ((m.readings[0] ??= {}).sequence = 1.5),
        "$.readings[0].sequence",
      ],
      ["an unknown member", (m: Loose) => ((m.readings[1] ??= {}).extra = 1), "$.readings[1]"],
      [
        "an uppercase device id",
        (m: Loose) => (m.deviceId = m.deviceId.toUpperCase()),
        "$.deviceId",
      ],
      ["no readings", (m: Loose) => (m.readings = []), "$.readings"],
      ["a missing signature", (m: Loose) => (m.auth = { scheme: "ed25519" }), "$.auth.signature"],
      [
        "a power factor above 1",
        (m: Loose) => ((m.readings[0] ??= {}).powerFactorPerMille = 1001),
        "$.readings[0].powerFactorPerMille",
      ],
    ] as const) {
      it(`refuses ${name}, naming ${path}`, () => {
        const message = valid();
        mutate(message);
        assert.throws(
          () => parseDeviceMessage(message),
          (error: unknown) => error instanceof InvalidInputError && error.path === path,
        );
      });
    }
  });

  describe("fast check", () => {
    const fields = [
      "channel",
      "sequence",
      "timestampMs",
      "energyImportedMilliWattHours",
      "energyExportedMilliWattHours",
      "counterEpoch",
      "powerMilliWatts",
      "voltageMillivolts",
      "currentMilliamps",
      "powerFactorPerMille",
      "quality",
      "extra",
    ];
    const topFields = ["format", "deviceId", "sentAtMs", "readings", "auth", "extra"];
    const anyValue = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(-1, 0, 1000, 1001, -1001, 2 ** 53, 0xffff_ffff + 1, -0),
      fc.constantFrom(
        "0",
        "01",
        "9223372036854775807",
        "9223372036854775808",
        "12",
        "1e3",
        "",
        "measured",
        "polled",
      ),
      fc.string(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constant([]),
      fc.constant({}),
      fc.boolean(),
      fc.constantFrom(deviceId, deviceId.toUpperCase(), DEVICE_MESSAGE_FORMAT, "0x00", "0x0"),
      fc.constantFrom(
        { scheme: "polled" },
        { scheme: "ed25519" },
        { scheme: "hmac-sha256", signature: "0xab" },
        { scheme: "polled", signature: "0xab" },
        { scheme: "secp256k1", signature: "0xab" },
        { scheme: "secp256k1" },
      ),
    );
    const mutation = fc.oneof(
      fc.record({
        where: fc.constant("reading" as const),
        index: fc.nat(2),
        field: fc.constantFrom(...fields),
        value: anyValue,
        remove: fc.boolean(),
      }),
      fc.record({
        where: fc.constant("top" as const),
        index: fc.constant(0),
        field: fc.constantFrom(...topFields),
        value: anyValue,
        remove: fc.boolean(),
      }),
    );

    it("accepts exactly what the zod schema accepts", () => {
      fc.assert(
        fc.property(fc.array(mutation, { maxLength: 3 }), (mutations) => {
          const message = JSON.parse(
            JSON.stringify({ ...body(3), auth: { scheme: "ed25519", signature: "0xab" } }),
          ) as Record<string, unknown> & { readings: Record<string, unknown>[] };
          for (const m of mutations) {
            const readings: unknown = message.readings;
            const target: unknown =
              m.where === "top" ? message : Array.isArray(readings) ? readings[m.index] : undefined;
            if (typeof target !== "object" || target === null) continue;
            if (m.remove) Reflect.deleteProperty(target, m.field);
            else Reflect.set(target, m.field, m.value);
          }
          assert.equal(isDeviceMessage(message), deviceMessageSchema.safeParse(message).success);
        }),
        { numRuns: 2000 },
      );
    });
  });

  describe("registry key hashes and kinds", () => {
    it("commits to a public key as keccak256 of its bytes, and keeps schemes apart", () => {
      const ed = generateDeviceKey(new Uint8Array(32).fill(1));
      const k1 = generateSecp256k1DeviceKey(new Uint8Array(32).fill(1));
      assert.equal(
        deviceKeyHash({ scheme: "ed25519", publicKey: ed.publicKey }),
        keccak256(ed.publicKey),
      );
      assert.equal(
        deviceKeyHash({ scheme: "secp256k1", publicKey: k1.publicKey }),
        keccak256(k1.publicKey),
      );
      const secret = `0x${"5a".repeat(16)}` as const;
      const hashes = new Set([
        deviceKeyHash({ scheme: "hmac-sha256", secret }),
        keccak256(secret),
        deviceKeyHash({ scheme: "polled" }),
        deviceKeyHash({ scheme: "serial" }),
        deviceKeyHash({ scheme: "network-server" }),
      ]);
      assert.equal(
        hashes.size,
        5,
        "the HMAC commitment is not the bare hash; unsigned schemes differ",
      );
      assert.throws(
        () => deviceKeyHash({ scheme: "secp256k1", publicKey: ed.publicKey }),
        (error: unknown) => error instanceof InvalidInputError && error.path === "publicKey",
      );
    });
    it("maps kind slugs to EnergyRegistry's codes, other for the rest", () => {
      assert.equal(deviceKindCode("ct-clamp"), 1);
      assert.equal(deviceKindCode("smart-plug"), 6);
      assert.equal(deviceKindCode("modbus-meter"), 7);
      assert.equal(deviceKindCode("toString"), 7);
    });
  });
  describe("topics", () => {
    it("round-trips a readings topic and refuses others", () => {
      const topic = deviceReadingsTopic({ siteId, deviceId });
      assert.equal(topic, `ei/v1/${siteId}/${deviceId}/readings`);
      assert.deepEqual(parseDeviceTopic(topic), { siteId, deviceId });
      assert.equal(parseDeviceTopic(`ei/v1/${siteId}/${deviceId}/status`), undefined);
      assert.equal(parseDeviceTopic(`ei/v1/site/${deviceId}/readings`), undefined);
    });
  });
});
