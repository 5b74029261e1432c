/**
 * The deployed contract set and the helpers every contract test shares: one site with a machine, a
 * product, an oracle and an operator; header/stamp/footprint builders; EIP-712 signing with viem over
 * the sdk's own struct types, so a drift between sdk and Solidity fails here.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { getContract, keccak256, stringToHex, toHex, type Abi, type Address, type Hex } from "viem";
import {
  auditAttestationsAbi,
  dataContainersAbi,
  energyRegistryAbi,
  jobStampsAbi,
  productLotsAbi,
} from "../../sdk/src/contracts/generated/abis.ts";
import {
  EIP712_DOMAIN_NAME,
  EIP712_DOMAIN_VERSION,
  StampAction,
  StampChannel,
  containerBatchTypes,
  footprintTypes,
  jobStampTypes,
} from "../../sdk/src/eip712/types.ts";
import type { ContainerHeader } from "../../sdk/src/eip712/messageTypes.ts";

export const SITE_ID = id("site:berlin-1");
export const OTHER_SITE_ID = id("site:lyon-2");
export const MACHINE_ID = id("machine:press-7");
export const MACHINE_2_ID = id("machine:lathe-3");
export const PRODUCT_ID = id("product:bracket-a");
export const STREAM_ID = id("stream:main-meter");
export const DEVICE_ID = id("device:ct-clamp-1");
/** A CIDv1 raw sha256 is 36 bytes: 0x01 0x55 0x12 0x20 then the digest. */
export const SAMPLE_CID: Hex = `0x01551220${"ab".repeat(32)}`;

/** keccak256 of a label: stable, readable ids for tests. */
export function id(label: string): Hex {
  return keccak256(stringToHex(label));
}

export type Viem = NetworkConnection["viem"];
export type Fixture = Awaited<ReturnType<typeof deployAll>>;
export type WalletClient = Awaited<ReturnType<Viem["getWalletClients"]>>[number];

export type { ContainerHeader } from "../../sdk/src/eip712/messageTypes.ts";

/** A valid revision-0 header for hour `index` of the sample stream; override any field. */
export function makeHeader(
  index: number,
  overrides: Partial<ContainerHeader> = {},
): ContainerHeader {
  const periodStart = 1_767_225_600n + BigInt(index) * 3600n;
  return {
    siteId: SITE_ID,
    streamId: STREAM_ID,
    periodStart,
    periodEnd: periodStart + 3600n,
    merkleRoot: id(`root:${index}`),
    cid: SAMPLE_CID,
    readingCount: 3600,
    energyImportedMilliWattHours: 12_345_678n + BigInt(index),
    energyExportedMilliWattHours: 1_234n,
    emissionsLocationMilligramsCo2e: 4_567_890n,
    emissionsMarketMilligramsCo2e: 3_456_789n,
    factorRef: id("factor:de-2026-h"),
    revision: 0,
    supersedes: 0n,
    ...overrides,
  };
}

export async function domainOf(viem: Viem, verifyingContract: Address) {
  const publicClient = await viem.getPublicClient();
  return {
    name: EIP712_DOMAIN_NAME,
    version: EIP712_DOMAIN_VERSION,
    chainId: await publicClient.getChainId(),
    verifyingContract,
  } as const;
}

export async function signBatch(
  viem: Viem,
  signer: WalletClient,
  containers: Address,
  headers: readonly ContainerHeader[],
): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account,
    domain: await domainOf(viem, containers),
    types: containerBatchTypes,
    primaryType: "ContainerBatch",
    message: { containers: headers },
  });
}

export interface JobStamp {
  jobId: Hex;
  siteId: Hex;
  action: StampAction;
  machineIds: readonly Hex[];
  productId: Hex;
  units: bigint;
  time: bigint;
  channel: StampChannel;
  nonce: bigint;
}

export function makeStamp(overrides: Partial<JobStamp> & { time: bigint }): JobStamp {
  return {
    jobId: id("job:1"),
    siteId: SITE_ID,
    action: StampAction.start,
    machineIds: [MACHINE_ID],
    productId: PRODUCT_ID,
    units: 0n,
    channel: StampChannel.api,
    nonce: 0n,
    ...overrides,
  };
}

export async function signStamp(
  viem: Viem,
  signer: WalletClient,
  jobs: Address,
  stamp: JobStamp,
): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account,
    domain: await domainOf(viem, jobs),
    types: jobStampTypes,
    primaryType: "JobStamp",
    message: stamp,
  });
}

export interface Footprint {
  siteId: Hex;
  productId: Hex;
  jobIds: readonly Hex[];
  units: bigint;
  cid: Hex;
  energyMilliWattHours: bigint;
  emissionsLocationMilligramsCo2e: bigint;
  emissionsMarketMilligramsCo2e: bigint;
  nonce: bigint;
}

export function makeFootprint(overrides: Partial<Footprint> = {}): Footprint {
  return {
    siteId: SITE_ID,
    productId: PRODUCT_ID,
    jobIds: [id("job:1")],
    units: 100n,
    cid: SAMPLE_CID,
    energyMilliWattHours: 5_000_003n,
    emissionsLocationMilligramsCo2e: 2_000_050n,
    emissionsMarketMilligramsCo2e: 1_000_000n,
    nonce: 0n,
    ...overrides,
  };
}

export async function signFootprint(
  viem: Viem,
  signer: WalletClient,
  lots: Address,
  footprint: Footprint,
): Promise<Hex> {
  return signer.signTypedData({
    account: signer.account,
    domain: await domainOf(viem, lots),
    types: footprintTypes,
    primaryType: "Footprint",
    message: footprint,
  });
}

export const BASE_URI = "http://127.0.0.1:8080/v1/tokens/{id}.json";

/**
 * Deploys the five contracts and sets up one site: owner, manager, oracle, operator, one auditor,
 * two machines, one product, one device. Pass it to `networkHelpers.loadFixture`.
 */
export async function deployAll(viem: Viem) {
  const wallets = await viem.getWalletClients();
  const [admin, manager, owner, oracle, operator, auditor, relayer, stranger] = wallets as [
    WalletClient,
    WalletClient,
    WalletClient,
    WalletClient,
    WalletClient,
    WalletClient,
    WalletClient,
    WalletClient,
  ];
  const publicClient = await viem.getPublicClient();
  // Typed through the committed generated ABIs (Hardhat's artifact typings are build output).
  const deploy = async <const TAbi extends Abi>(name: string, abi: TAbi, args: unknown[]) => {
    const { address } = await viem.deployContract(name, args);
    return getContract({ address, abi, client: { public: publicClient, wallet: admin } });
  };
  const registry = await deploy("EnergyRegistry", energyRegistryAbi, [admin.account.address]);
  const containers = await deploy("DataContainers", dataContainersAbi, [
    registry.address,
    BASE_URI,
  ]);
  const jobs = await deploy("JobStamps", jobStampsAbi, [registry.address]);
  const lots = await deploy("ProductLots", productLotsAbi, [
    registry.address,
    jobs.address,
    BASE_URI,
  ]);
  const attestations = await deploy("AuditAttestations", auditAttestationsAbi, [
    registry.address,
    containers.address,
    lots.address,
  ]);

  await registry.write.registerSite([
    SITE_ID,
    owner.account.address,
    manager.account.address,
    "Berlin 1",
  ]);
  const asManager = { account: manager.account };
  const oracleRole = await registry.read.siteRole([await registry.read.ORACLE_ROLE(), SITE_ID]);
  const operatorRole = await registry.read.siteRole([await registry.read.OPERATOR_ROLE(), SITE_ID]);
  await registry.write.grantRole([oracleRole, oracle.account.address], asManager);
  await registry.write.grantRole([operatorRole, operator.account.address], asManager);
  await registry.write.grantRole([await registry.read.AUDITOR_ROLE(), auditor.account.address]);
  await registry.write.registerMachine([SITE_ID, MACHINE_ID, "Press 7"], asManager);
  await registry.write.registerMachine([SITE_ID, MACHINE_2_ID, "Lathe 3"], asManager);
  await registry.write.registerProduct(
    [
      SITE_ID,
      PRODUCT_ID,
      {
        sku: "BRK-A",
        name: "Bracket A",
        cpcCode: "42999",
        declaredUnit: 2,
        unitaryProductAmountMicros: 250_000n,
        massPerDeclaredUnitMilligrams: 1_000_000n,
      },
    ],
    asManager,
  );
  await registry.write.registerDevice([SITE_ID, DEVICE_ID, MACHINE_ID, 1, id("key:1")], asManager);

  return {
    publicClient,
    registry,
    containers,
    jobs,
    lots,
    attestations,
    admin,
    manager,
    owner,
    oracle,
    operator,
    auditor,
    relayer,
    stranger,
    oracleRole,
    operatorRole,
  };
}

/** The chain's latest block time, in seconds. */
export async function now(viem: Viem): Promise<bigint> {
  const publicClient = await viem.getPublicClient();
  return (await publicClient.getBlock()).timestamp;
}

/** 0x-prefixed 32-byte hex of a number, for nonces and such in logs. */
export function word(value: number | bigint): Hex {
  return toHex(value, { size: 32 });
}
