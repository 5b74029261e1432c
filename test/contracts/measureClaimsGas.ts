/**
 * Gas of CertificateClaims: registering a certificate, a first claim (fresh per-site slot) and a
 * further claim by the same site. Receipt gasUsed, 21,000 base included; used by the gas benchmark.
 */
import { getContract, stringToHex, type Hex } from "viem";
import { certificateClaimsAbi } from "../../sdk/src/contracts/generated/abis.ts";
import { SITE_ID, deployAll, type Viem } from "./fixture.ts";

export interface ClaimsGasReport {
  registerCertificate: number;
  claimFirst: number;
  claimAgain: number;
}

export async function measureClaimsGas(viem: Viem): Promise<ClaimsGasReport> {
  const f = await deployAll(viem);
  const gasOf = async (hash: Hex): Promise<number> => {
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return Number(receipt.gasUsed);
  };
  const { address } = await viem.deployContract("CertificateClaims", [f.registry.address]);
  const claims = getContract({ address, abi: certificateClaimsAbi, client: f.admin });
  await f.registry.write.grantRole([
    await claims.read.CERTIFICATE_REGISTRAR_ROLE(),
    f.admin.account.address,
  ]);
  const input = {
    scheme: "AIB-EECS",
    certificateId: "GO-DE-2026-01-WIND-000123",
    volumeWattHours: 10_000_000n,
    periodStart: 1_767_225_600,
    periodEnd: 1_769_904_000,
    technology: stringToHex("wind-onshore", { size: 32 }),
    zone: stringToHex("DE-LU", { size: 32 }),
  };
  const registerCertificate = await gasOf(await claims.write.registerCertificate([input]));
  const key = await claims.read.certificateKey([input.scheme, input.certificateId]);
  const asManager = { account: f.manager.account };
  const claim = async (start: number) =>
    gasOf(await claims.write.claim([key, SITE_ID, 1_000_000n, start, start + 3600], asManager));
  const claimFirst = await claim(input.periodStart);
  const claimAgain = await claim(input.periodStart + 3600);
  return { registerCertificate, claimFirst, claimAgain };
}
