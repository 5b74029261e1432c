export { parseDeployments } from "./parseDeployments.ts";
export type {
  ParseDeploymentsErrorType,
  ParseDeploymentsOptions,
  ParseDeploymentsParameters,
  ParseDeploymentsReturnType,
} from "./parseDeployments.ts";
export {
  DEPLOYED_CONTRACT_NAMES,
  deploymentEntrySchema,
  deploymentsSchema,
} from "./deploymentsSchema.ts";
export type { DeployedContractName, DeploymentEntry, Deployments } from "./deploymentsSchema.ts";
export {
  abis,
  auditAttestationsAbi,
  dataContainersAbi,
  energyRegistryAbi,
  jobStampsAbi,
  productLotsAbi,
} from "./generated/abis.ts";
