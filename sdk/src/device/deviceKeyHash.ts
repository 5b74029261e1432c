import { keccak256, concatBytes, stringToBytes, toHex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import type { DeviceAuthScheme } from "./deviceMessageSchema.ts";
import { hexToKeyBytes } from "./hexToKeyBytes.ts";

export type DeviceKeyHashParameters =
  | { scheme: "ed25519" | "secp256k1"; publicKey: `0x${string}` }
  | { scheme: "hmac-sha256"; secret: `0x${string}` }
  | { scheme: Exclude<DeviceAuthScheme, "ed25519" | "secp256k1" | "hmac-sha256"> };
export type DeviceKeyHashErrorType = InvalidInputError;

/**
 * The `keyHash` EnergyRegistry keeps for a device key (`registerDevice`,
 * `rotateDeviceKey`, `wasDeviceKeyAt`): what lets anyone check later which key
 * a device had at a block.
 *
 * - Ed25519 / secp256k1: keccak256 of the public key bytes as registered
 *   (32 bytes; 33 compressed), so the key itself can be checked against it.
 * - HMAC: keccak256 of a domain tag and the secret. The secret must stay
 *   secret; it is ≥ 16 random bytes, so its hash reveals nothing useful, and
 *   the tag keeps it from matching any other use of the same bytes.
 * - Unsigned schemes (`network-server`, `polled`, `serial`) have no device key;
 *   the hash names the scheme, so the registry still records how the device is
 *   authenticated (the contract refuses a zero key hash).
 *
 * @throws {InvalidInputError} for key material of the wrong length.
 * @example
 * ```ts
 * deviceKeyHash({ scheme: "ed25519", publicKey }); // keccak256(publicKey)
 * ```
 */
export function deviceKeyHash(parameters: DeviceKeyHashParameters): `0x${string}` {
  switch (parameters.scheme) {
    case "ed25519":
      return keccak256(hexToKeyBytes(parameters.publicKey, "publicKey", 32, 32));
    case "secp256k1":
      return keccak256(hexToKeyBytes(parameters.publicKey, "publicKey", 33, 33));
    case "hmac-sha256":
      return keccak256(
        concatBytes([
          stringToBytes("ei.device-hmac-key.v1:"),
          hexToKeyBytes(parameters.secret, "secret", 16, 1024),
        ]),
      );
    default:
      return keccak256(toHex(`ei.device-unsigned.v1:${parameters.scheme}`));
  }
}
