import {
  stringToHex,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { certificateClaimsAbi } from "../contracts/generated/abis.ts";
import { InvalidInputError } from "../errors/index.ts";
import { certificateKey, type CertificateIdentity } from "./certificateKey.ts";

export interface RegisterCertificateParameters {
  /** The CertificateClaims contract. */
  address: Address;
  certificate: CertificateIdentity & {
    volumeWattHours: bigint;
    /** Production period, Unix seconds, half-open [periodStart, periodEnd). */
    periodStart: number;
    periodEnd: number;
    /** Short strings (at most 31 bytes of UTF-8): "solar", "wind-onshore"; "DE-LU", "GB". */
    technology: string;
    zone: string;
  };
}
export interface RegisterCertificateReturnType {
  key: Hex;
  hash: Hex;
}
export type RegisterCertificateErrorType = InvalidInputError;

function shortString(path: string, value: string): Hex {
  if (new TextEncoder().encode(value).length > 31) {
    throw new InvalidInputError(path, `"${value}" is longer than 31 bytes`);
  }
  return stringToHex(value, { size: 32 });
}

/**
 * Registers a certificate in CertificateClaims (the caller needs the registry's
 * CERTIFICATE_REGISTRAR_ROLE), after simulating the call so a revert surfaces as viem's decoded
 * contract error (e.g. `Claims_CertificateExists`) before any gas is spent. Waits for the receipt.
 *
 * @example
 * ```ts
 * const { key } = await registerCertificate(publicClient, walletClient, { address, certificate });
 * ```
 */
export async function registerCertificate(
  publicClient: PublicClient,
  walletClient: WalletClient<Transport, Chain | undefined, Account>,
  parameters: RegisterCertificateParameters,
): Promise<RegisterCertificateReturnType> {
  const c = parameters.certificate;
  const key = certificateKey(c);
  const { request } = await publicClient.simulateContract({
    address: parameters.address,
    abi: certificateClaimsAbi,
    functionName: "registerCertificate",
    args: [
      {
        scheme: c.scheme,
        certificateId: c.certificateId,
        volumeWattHours: c.volumeWattHours,
        periodStart: c.periodStart,
        periodEnd: c.periodEnd,
        technology: shortString("certificate.technology", c.technology),
        zone: shortString("certificate.zone", c.zone),
      },
    ],
    account: walletClient.account,
  });
  const hash = await walletClient.writeContract(request);
  await publicClient.waitForTransactionReceipt({ hash });
  return { key, hash };
}
