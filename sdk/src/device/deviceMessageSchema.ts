import { z } from "zod";

/**
 * The wire format of readings sent by devices to a site gateway (MQTT payload or
 * HTTP body), documented field by field in docs/formats.md ("Device messages").
 *
 * Objects are strict: an unknown field is refused rather than dropped, because
 * the device's signature covers the whole body and the gateway must store
 * exactly what was signed (it rebuilds the signed bytes from its rows).
 */
export const DEVICE_MESSAGE_FORMAT = "ei.device-message.v1";

/** Largest counter value: the store keeps counters in SQLite's signed 64-bit INTEGER. */
export const MAX_COUNTER_MILLIWATT_HOURS = 9_223_372_036_854_775_807n;

/** Most readings one message may carry (a bound on memory and on one transaction). */
export const MAX_READINGS_PER_MESSAGE = 10_000;

/** How a device's messages are authenticated. The first three are signatures/MACs by the device. */
export const DEVICE_AUTH_SCHEMES = [
  "ed25519",
  "secp256k1",
  "hmac-sha256",
  "network-server",
  "polled",
  "serial",
] as const;
export type DeviceAuthScheme = (typeof DEVICE_AUTH_SCHEMES)[number];
/** Schemes where the device itself signs each message body. */
export const SIGNED_DEVICE_AUTH_SCHEMES = ["ed25519", "secp256k1", "hmac-sha256"] as const;
export type SignedDeviceAuthScheme = (typeof SIGNED_DEVICE_AUTH_SCHEMES)[number];

const hex32 = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/u, "expected 0x and 64 lowercase hex digits (bytes32)");

/** A bytes32 identifier written as 0x + 64 lowercase hex digits. */
export const bytes32HexSchema = hex32.transform((value) => value as `0x${string}`);

/** A cumulative counter: a decimal string, so values above 2^53 survive JSON. */
export const counterMilliWattHoursSchema = z
  .string()
  .regex(/^(?:0|[1-9][0-9]{0,18})$/u, "expected a decimal integer string without leading zeros")
  // Digits of equal length without leading zeros compare like numbers; never
  // parse here, zod runs refinements even on strings the regex refused.
  .refine((value) => value.length < 19 || value <= MAX_COUNTER_MILLIWATT_HOURS.toString(), {
    error: `must be at most ${MAX_COUNTER_MILLIWATT_HOURS}`,
  });

const nonNegativeSafeInt = z.int().min(0);

/** One reading of one channel of a device. */
export const deviceReadingSchema = z.strictObject({
  channel: z.int().min(0).max(0xffff_ffff),
  /** Per device, across channels; strictly increasing in the order the device takes readings. */
  sequence: nonNegativeSafeInt,
  timestampMs: nonNegativeSafeInt,
  energyImportedMilliWattHours: counterMilliWattHoursSchema,
  energyExportedMilliWattHours: counterMilliWattHoursSchema,
  /** Incremented by the device whenever its counters restart (reboot without NVRAM, rollover). */
  counterEpoch: nonNegativeSafeInt.optional(),
  powerMilliWatts: z.int().optional(),
  voltageMillivolts: nonNegativeSafeInt.optional(),
  currentMilliamps: nonNegativeSafeInt.optional(),
  powerFactorPerMille: z.int().min(-1000).max(1000).optional(),
  quality: z.enum(["measured", "estimated", "imported"]),
});
export type DeviceReading = z.infer<typeof deviceReadingSchema>;

/** The signed part of a message: everything except `auth`. */
export const deviceMessageBodySchema = z.strictObject({
  format: z.literal(DEVICE_MESSAGE_FORMAT),
  deviceId: bytes32HexSchema,
  /** The device's clock when it sent the message; the gateway derives clock drift from it. */
  sentAtMs: nonNegativeSafeInt,
  readings: z.array(deviceReadingSchema).min(1).max(MAX_READINGS_PER_MESSAGE),
});
export type DeviceMessageBody = z.infer<typeof deviceMessageBodySchema>;

const hexSignature = z
  .string()
  .regex(/^0x(?:[0-9a-f]{2})+$/u, "expected 0x and lowercase hex bytes")
  .transform((value) => value as `0x${string}`);

/** How this message is authenticated. */
export const deviceMessageAuthSchema = z.discriminatedUnion("scheme", [
  z.strictObject({ scheme: z.literal("ed25519"), signature: hexSignature }),
  // ECDSA over SHA-256 of the signed bytes, r ‖ s (64 bytes), low s: secure elements
  // (ATECC608, SE050) and Ethereum-style keys on gateways sign this way.
  z.strictObject({ scheme: z.literal("secp256k1"), signature: hexSignature }),
  z.strictObject({ scheme: z.literal("hmac-sha256"), signature: hexSignature }),
  // Third-party protocols that cannot sign: the adapter records how it knows the source.
  z.strictObject({ scheme: z.enum(["network-server", "polled", "serial"]) }),
]);
export type DeviceMessageAuth = z.infer<typeof deviceMessageAuthSchema>;

/** A whole device message: the body plus `auth`. */
export const deviceMessageSchema = z.strictObject({
  ...deviceMessageBodySchema.shape,
  auth: deviceMessageAuthSchema,
});
export type DeviceMessage = z.infer<typeof deviceMessageSchema>;
