/** The deployable contracts, in deployment order; the keys of `deployments/<chainId>.json`. */
export const CONTRACT_NAMES = [
  "EnergyRegistry",
  "DataContainers",
  "JobStamps",
  "ProductLots",
  "AuditAttestations",
  "CertificateClaims",
  "GridIntensityConsumer",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];
