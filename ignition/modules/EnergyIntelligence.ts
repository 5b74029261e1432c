/**
 * The Energy-Intelligence contracts, wired together (the Chainlink Functions consumer, which needs a
 * Functions router, is in GridIntensity.ts). Parameters (all optional):
 * - `admin`: receives DEFAULT_ADMIN_ROLE on the registry (default: the deploying account);
 * - `containersBaseUri`, `lotsBaseUri`: ERC-1155 metadata URI templates with `{id}`.
 *
 * `npx hardhat ignition deploy ignition/modules/EnergyIntelligence.ts --network localhost`, or
 * `node scripts/deploy/deploy.ts`, which also writes deployments/<chainId>.json.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export const DEFAULT_BASE_URI = "http://127.0.0.1:8080/v1/tokens/{id}.json";

export default buildModule("EnergyIntelligence", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const containersBaseUri = m.getParameter("containersBaseUri", DEFAULT_BASE_URI);
  const lotsBaseUri = m.getParameter("lotsBaseUri", DEFAULT_BASE_URI);
  const registry = m.contract("EnergyRegistry", [admin]);
  const containers = m.contract("DataContainers", [registry, containersBaseUri]);
  const jobs = m.contract("JobStamps", [registry]);
  const lots = m.contract("ProductLots", [registry, jobs, lotsBaseUri]);
  const attestations = m.contract("AuditAttestations", [registry, containers, lots]);
  const claims = m.contract("CertificateClaims", [registry]);
  return { registry, containers, jobs, lots, attestations, claims };
});
