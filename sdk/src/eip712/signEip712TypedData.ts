import type { Account, Address, Hex, LocalAccount, WalletClient } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { assertEnergyTypedData } from "./assertEnergyTypedData.ts";
import type { EnergyTypedData } from "./messageTypes.ts";
import { toViemTypedData } from "./toViemTypedData.ts";

export type SignEip712TypedDataErrorType = InvalidInputError;

export interface SignEip712TypedDataParameters {
  /** A viem local account (private key, mnemonic) or a wallet client (browser wallet, RPC signer). */
  signer: LocalAccount | WalletClient;
  /** With a wallet client that has no account of its own: which account signs. */
  account?: Account | Address;
  typedData: EnergyTypedData;
}

/**
 * Signs Energy-Intelligence typed data (eth_signTypedData_v4) through viem and
 * returns the 65-byte signature `r ‖ s ‖ v`.
 *
 * @throws {InvalidInputError} when the typed data is invalid, or a wallet client has no account.
 * @example
 * ```ts
 * const account = privateKeyToAccount(key);
 * const signature = await signEip712TypedData({ signer: account, typedData });
 * ```
 */
export async function signEip712TypedData(parameters: SignEip712TypedDataParameters): Promise<Hex> {
  const { signer, typedData } = parameters;
  assertEnergyTypedData(typedData);
  const viemTypedData = toViemTypedData(typedData);
  // Clients have `request`; accounts do not (WalletClient's `type` is a plain string).
  if (!("request" in signer)) return signer.signTypedData(viemTypedData);
  const account = parameters.account ?? signer.account;
  if (account === undefined)
    throw new InvalidInputError("account", "the wallet client has no account", {
      hints: ["Pass `account`, or create the wallet client with one."],
    });
  return signer.signTypedData({ ...viemTypedData, account });
}
