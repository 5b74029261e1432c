import { type KeyObject, createPublicKey, createSecretKey } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { DevicesRepository, DeviceRecord } from "../store/devicesRepository.ts";

/** A registered device with its key material decoded once for the hot path. */
export interface DirectoryEntry {
  record: DeviceRecord;
  /** Ed25519 or secp256k1 public key for node:crypto.verify. */
  publicKey: KeyObject | undefined;
  /** HMAC secret for node:crypto.createHmac. */
  hmacKey: KeyObject | undefined;
}

function publicKeyObject(record: DeviceRecord): KeyObject | undefined {
  if (record.publicKey === null) return undefined;
  const bytes = Buffer.from(record.publicKey.slice(2), "hex");
  if (record.authScheme === "secp256k1") {
    // OpenSSL takes the point as JWK coordinates; the store keeps it compressed.
    const point = secp256k1.Point.fromBytes(bytes).toBytes(false);
    return createPublicKey({
      key: {
        kty: "EC",
        crv: "secp256k1",
        x: Buffer.from(point.subarray(1, 33)).toString("base64url"),
        y: Buffer.from(point.subarray(33)).toString("base64url"),
      },
      format: "jwk",
    });
  }
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: bytes.toString("base64url") },
    format: "jwk",
  });
}

function toEntry(record: DeviceRecord): DirectoryEntry {
  return {
    record,
    publicKey: publicKeyObject(record),
    hmacKey:
      record.hmacSecret === null
        ? undefined
        : createSecretKey(Buffer.from(record.hmacSecret.slice(2), "hex")),
  };
}

/**
 * The devices the gateway accepts, held in memory. `ei device add|revoke`
 * writes the store from another process; the directory notices through the
 * `devices_version` counter, polled every `pollMs` and on every miss (one
 * single-row read, cheap enough even for a flood of unknown ids), so a new
 * device works at once and a revocation takes effect within `pollMs`.
 */
export class DeviceDirectory {
  readonly #devices: DevicesRepository;
  #entries = new Map<string, DirectoryEntry>();
  #version = -1;
  #timer: NodeJS.Timeout | undefined;

  constructor(devices: DevicesRepository, options: { pollMs?: number } = {}) {
    this.#devices = devices;
    this.refresh();
    const pollMs = options.pollMs ?? 1000;
    if (pollMs > 0) {
      this.#timer = setInterval(() => {
        this.refreshIfChanged();
      }, pollMs);
      this.#timer.unref();
    }
  }

  /** Reloads every device. */
  refresh(): void {
    const version = this.#devices.version();
    this.#entries = new Map(
      this.#devices.list().map((record) => [record.deviceId, toEntry(record)]),
    );
    this.#version = version;
  }

  refreshIfChanged(): void {
    if (this.#devices.version() !== this.#version) this.refresh();
  }

  /** The device, looking in the store once more if it is not known yet. */
  get(deviceId: string): DirectoryEntry | undefined {
    const entry = this.#entries.get(deviceId);
    if (entry !== undefined) return entry;
    this.refreshIfChanged();
    return this.#entries.get(deviceId);
  }

  get size(): number {
    return this.#entries.size;
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
