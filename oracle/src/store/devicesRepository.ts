import type { Database } from "better-sqlite3";
import { z } from "zod";
import {
  DEVICE_AUTH_SCHEMES,
  type DeviceAuthScheme,
  InvalidInputError,
  bytes32HexSchema,
} from "@energy-intelligence/sdk";

/** What `ei device add` registers. Keys must match the scheme. */
export const newDeviceSchema = z
  .strictObject({
    deviceId: bytes32HexSchema,
    siteId: bytes32HexSchema,
    machineId: bytes32HexSchema,
    kind: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/u, "expected a lowercase slug such as ct-clamp"),
    authScheme: z.enum(DEVICE_AUTH_SCHEMES),
    /** Ed25519: 32 bytes; secp256k1: 33 bytes, compressed SEC1. */
    publicKey: z
      .string()
      .regex(
        /^0x(?:[0-9a-f]{64}|0[23][0-9a-f]{64})$/u,
        "expected 0x and 64 (Ed25519) or 66 (compressed secp256k1) lowercase hex digits",
      )
      .transform((value) => value as `0x${string}`)
      .optional(),
    hmacSecret: z
      .string()
      .regex(/^0x(?:[0-9a-f]{2}){16,128}$/u, "expected 0x and 16 to 128 lowercase hex bytes")
      .transform((value) => value as `0x${string}`)
      .optional(),
    channelCount: z.int().min(1).max(0xffff_ffff),
  })
  .superRefine((device, context) => {
    const publicKeyScheme = device.authScheme === "ed25519" || device.authScheme === "secp256k1";
    if (publicKeyScheme && device.publicKey === undefined) {
      context.addIssue({
        code: "custom",
        path: ["publicKey"],
        message: `a ${device.authScheme} device needs its public key`,
      });
    }
    if (
      device.publicKey !== undefined &&
      publicKeyScheme &&
      (device.publicKey.length === 66) !== (device.authScheme === "ed25519")
    ) {
      context.addIssue({
        code: "custom",
        path: ["publicKey"],
        message:
          device.authScheme === "ed25519"
            ? "an ed25519 public key is 32 bytes"
            : "a secp256k1 public key is 33 bytes (compressed: 0x02 or 0x03 and 32 bytes)",
      });
    }
    if (device.authScheme === "hmac-sha256" && device.hmacSecret === undefined) {
      context.addIssue({
        code: "custom",
        path: ["hmacSecret"],
        message: "an hmac-sha256 device needs its secret",
      });
    }
    if (!publicKeyScheme && device.publicKey !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["publicKey"],
        message: `a ${device.authScheme} device has no public key`,
      });
    }
    if (device.authScheme !== "hmac-sha256" && device.hmacSecret !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["hmacSecret"],
        message: `a ${device.authScheme} device has no HMAC secret`,
      });
    }
  });
export type NewDevice = z.input<typeof newDeviceSchema>;

export interface DeviceRecord {
  deviceRef: number;
  deviceId: `0x${string}`;
  siteId: `0x${string}`;
  machineId: `0x${string}`;
  kind: string;
  authScheme: DeviceAuthScheme;
  publicKey: `0x${string}` | null;
  /** Secret: never logged, never served by the API. */
  hmacSecret: `0x${string}` | null;
  channelCount: number;
  status: "active" | "revoked";
  addedAtMs: number;
  revokedAtMs: number | null;
  /** The key hash registered in EnergyRegistry (sdk deviceKeyHash); null when not registered on chain. */
  keyHash: `0x${string}` | null;
  /** The transaction that registered the device on chain. */
  chainRegisterTx: `0x${string}` | null;
  /** The transaction that revoked its key on chain. */
  chainRevokeTx: `0x${string}` | null;
}

interface DeviceRow {
  device_ref: number;
  device_id: string;
  site_id: string;
  machine_id: string;
  kind: string;
  auth_scheme: string;
  public_key: string | null;
  hmac_secret: string | null;
  channel_count: number;
  status: string;
  added_at_ms: number;
  revoked_at_ms: number | null;
  key_hash: string | null;
  chain_register_tx: string | null;
  chain_revoke_tx: string | null;
}

function toRecord(row: DeviceRow): DeviceRecord {
  return {
    deviceRef: row.device_ref,
    deviceId: row.device_id as `0x${string}`,
    siteId: row.site_id as `0x${string}`,
    machineId: row.machine_id as `0x${string}`,
    kind: row.kind,
    authScheme: row.auth_scheme as DeviceAuthScheme,
    publicKey: row.public_key as `0x${string}` | null,
    hmacSecret: row.hmac_secret as `0x${string}` | null,
    channelCount: row.channel_count,
    status: row.status === "revoked" ? "revoked" : "active",
    addedAtMs: row.added_at_ms,
    revokedAtMs: row.revoked_at_ms,
    keyHash: row.key_hash as `0x${string}` | null,
    chainRegisterTx: row.chain_register_tx as `0x${string}` | null,
    chainRevokeTx: row.chain_revoke_tx as `0x${string}` | null,
  };
}

/** A device as EnergyRegistry records it. */
export interface ChainDeviceRegistration {
  deviceId: `0x${string}`;
  siteId: `0x${string}`;
  machineId: `0x${string}`;
  /** EnergyRegistry kind code, 1..7 (sdk deviceKindCode). */
  kindCode: number;
  /** sdk deviceKeyHash of the device's key. */
  keyHash: `0x${string}`;
}

/**
 * Where a device's registration on chain goes (oracle/src/chain/createDeviceRegistryChain.ts
 * implements it against EnergyRegistry). Each method checks first and throws an
 * InvalidInputError naming what is wrong (unknown site, missing role, duplicate
 * device, …) without sending anything.
 */
export interface DeviceRegistryChain {
  /**
   * Registers the device on chain and resolves once mined with the transaction
   * hash, or with undefined when the chain already holds exactly this
   * registration (a retry after a crash between the chain and the store).
   */
  registerDevice(device: ChainDeviceRegistration): Promise<`0x${string}` | undefined>;
  /** Revokes the device's key on chain; undefined when it has no active key there already. */
  revokeDevice(device: DeviceRecord): Promise<`0x${string}` | undefined>;
}

/** The `devices` table. */
export class DevicesRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Registers a device.
   * @throws {InvalidInputError} naming the field (`device.publicKey`, …) or `device.deviceId` when already registered.
   */
  add(
    input: unknown,
    nowMs = Date.now(),
    chain?: { keyHash: `0x${string}`; registerTx: `0x${string}` | null },
  ): DeviceRecord {
    const device = this.validateNew(input);
    const row = this.#db
      .prepare(
        `INSERT INTO devices (device_id, site_id, machine_id, kind, auth_scheme, public_key, hmac_secret, channel_count, status, added_at_ms, key_hash, chain_register_tx)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) RETURNING *`,
      )
      .get(
        device.deviceId,
        device.siteId,
        device.machineId,
        device.kind,
        device.authScheme,
        device.publicKey ?? null,
        device.hmacSecret ?? null,
        device.channelCount,
        nowMs,
        chain?.keyHash ?? null,
        chain?.registerTx ?? null,
      ) as DeviceRow;
    return toRecord(row);
  }

  /**
   * Checks a new device without storing it: its fields, and that its id is free.
   * @throws {InvalidInputError} as {@link add}.
   */
  validateNew(input: unknown): z.output<typeof newDeviceSchema> {
    const parsed = newDeviceSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(
        `device.${issue?.path.join(".") ?? ""}`,
        issue?.message ?? "invalid device",
      );
    }
    const device = parsed.data;
    if (this.get(device.deviceId) !== undefined) {
      throw new InvalidInputError(
        "device.deviceId",
        `device ${device.deviceId} is already registered`,
        {
          hints: ["A revoked device id cannot be reused; give the replacement device a new id."],
        },
      );
    }
    return device;
  }

  get(deviceId: string): DeviceRecord | undefined {
    const row = this.#db.prepare("SELECT * FROM devices WHERE device_id = ?").get(deviceId) as
      DeviceRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  list(): DeviceRecord[] {
    return (this.#db.prepare("SELECT * FROM devices ORDER BY device_ref").all() as DeviceRow[]).map(
      toRecord,
    );
  }

  /**
   * Revokes a device: its messages are refused from now on; what it sent before stays.
   * @throws {InvalidInputError} when the device is unknown.
   */
  revoke(
    deviceId: string,
    nowMs = Date.now(),
    chainRevokeTx: `0x${string}` | null = null,
  ): DeviceRecord {
    const row = this.#db
      .prepare(
        "UPDATE devices SET status = 'revoked', revoked_at_ms = coalesce(revoked_at_ms, ?), chain_revoke_tx = coalesce(chain_revoke_tx, ?) WHERE device_id = ? RETURNING *",
      )
      .get(nowMs, chainRevokeTx, deviceId) as DeviceRow | undefined;
    if (row === undefined)
      throw new InvalidInputError("deviceId", `no device ${deviceId} is registered`);
    return toRecord(row);
  }

  /** Bumped by a trigger on every change to `devices`, so caches can poll one integer. */
  version(): number {
    return (
      this.#db.prepare("SELECT value FROM store_meta WHERE key = 'devices_version'").get() as {
        value: number;
      }
    ).value;
  }
}
