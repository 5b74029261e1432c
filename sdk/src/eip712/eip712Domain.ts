import type { Address } from "viem";
import { getAddress, isAddress } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import type { Eip712Domain } from "./messageTypes.ts";
import { EIP712_DOMAIN_NAME, EIP712_DOMAIN_VERSION } from "./types.ts";

export type Eip712DomainErrorType = InvalidInputError;

export interface Eip712DomainParameters {
  /** The chain the verifying contract lives on. */
  chainId: number | bigint;
  /** The contract that checks the signature (DataContainers, JobStamps, ProductLots). */
  verifyingContract: Address;
}

/**
 * The EIP-712 domain of Energy-Intelligence signatures: name
 * "Energy-Intelligence", version "1", the chain id and the contract that
 * verifies the signature. Binding both means a signature is valid for one
 * contract on one chain only.
 *
 * @throws {InvalidInputError} for a non-positive chain id or a malformed address.
 * @example
 * ```ts
 * eip712Domain({ chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" });
 * // { name: "Energy-Intelligence", version: "1", chainId: 31337, verifyingContract: "0x5FbD…" }
 * ```
 */
export function eip712Domain(parameters: Eip712DomainParameters): Eip712Domain {
  const chainId = Number(parameters.chainId);
  if (
    !Number.isSafeInteger(chainId) ||
    chainId <= 0 ||
    BigInt(chainId) !== BigInt(parameters.chainId)
  )
    throw new InvalidInputError("chainId", `must be a positive integer, got ${parameters.chainId}`);
  if (!isAddress(parameters.verifyingContract, { strict: false }))
    throw new InvalidInputError("verifyingContract", "not an address", {
      hints: ["Pass the deployed contract's 0x-address (deployments/<chainId>.json)."],
    });
  return {
    name: EIP712_DOMAIN_NAME,
    version: EIP712_DOMAIN_VERSION,
    chainId,
    verifyingContract: getAddress(parameters.verifyingContract),
  };
}
