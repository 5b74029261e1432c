import { isAddress, type Address } from "viem";
import { z } from "zod";

/** The contracts every consumer of a deployments file needs. */
export const DEPLOYED_CONTRACT_NAMES = [
  "EnergyRegistry",
  "DataContainers",
  "JobStamps",
  "ProductLots",
  "AuditAttestations",
] as const;
export type DeployedContractName = (typeof DEPLOYED_CONTRACT_NAMES)[number];

/** One contract of `deployments/<chainId>.json`: where it is and the block to index from. */
export const deploymentEntrySchema = z.strictObject({
  address: z
    .string()
    .refine((value): value is Address => isAddress(value, { strict: false }), "not a 0x-address"),
  startBlock: z.number().int().nonnegative(),
});
export type DeploymentEntry = z.infer<typeof deploymentEntrySchema>;

/**
 * `deployments/<chainId>.json`: `{ContractName: {address, startBlock}}`. The five Energy-Intelligence
 * contracts are required; other entries (contracts added later) are allowed and checked the same way.
 */
export const deploymentsSchema = z
  .object(
    Object.fromEntries(
      DEPLOYED_CONTRACT_NAMES.map((name) => [name, deploymentEntrySchema]),
    ) as Record<DeployedContractName, typeof deploymentEntrySchema>,
  )
  .catchall(deploymentEntrySchema);
export type Deployments = z.infer<typeof deploymentsSchema>;
