import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import {
  type Abi,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DeviceReading } from "@energy-intelligence/sdk";
import {
  certificateClaimsAbi,
  energyRegistryAbi,
} from "@energy-intelligence/sdk/contracts/generated/abis";
import { registerCertificate } from "@energy-intelligence/sdk/claims/registerCertificate";
import { containerDocumentSchema } from "@energy-intelligence/sdk/containers/containerDocumentSchema";
import { startHardhatNode, type HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import { startAnchoringServices } from "../anchor/startAnchoringServices.ts";
import { TEST_STREAM_ID } from "../anchor/testing/anchoringFixture.ts";
import { AccountSendQueue } from "../chain/accountSendQueue.ts";
import {
  deployTestContracts,
  hardhatTestClients,
  HARDHAT_ORACLE_KEY,
  type TestDeployment,
} from "../chain/testing/deployTestContracts.ts";
import { containersConfigSchema } from "../containers/containersConfigSchema.ts";
import { factorSourcesConfigSchema } from "../factors/factorSourcesConfigSchema.ts";
import { loadContractualInstruments } from "../factors/loadContractualInstruments.ts";
import { createInlineWriter } from "../ingest/inlineWriter.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { openStore } from "../store/openStore.ts";
import { TestDevice, TEST_SITE_ID } from "../testing/deviceFixture.ts";
import { CertificateClaimer, instrumentCertificateKey } from "./certificateClaimer.ts";

const PERIOD_MS = 1_800_000;
const STEP_MS = 300_000;
/** 250 Wh per five minutes: 1500 Wh per half-hour container. */
const LOAD_PER_STEP = 250_000n;
const PER_PERIOD_WH = 1500n;
/** Hardhat account #4: the second gateway's oracle key (test chains only). */
const OTHER_ORACLE_KEY: Hex = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";
const OTHER_SITE_ID = `0x${"52".repeat(32)}` as const;

class OtherSiteDevice extends TestDevice {
  override readonly siteId = OTHER_SITE_ID;
}

function readings(startMs: number): DeviceReading[] {
  return Array.from({ length: 25 }, (_, index) => ({
    channel: 0,
    sequence: index,
    timestampMs: startMs + index * STEP_MS,
    energyImportedMilliWattHours: (10_000_000n + LOAD_PER_STEP * BigInt(index)).toString(),
    energyExportedMilliWattHours: "0",
    quality: "measured" as const,
  }));
}

/** Sends, then dies before it learns the outcome: a crash right after broadcast. */
class CrashAfterSend extends AccountSendQueue {
  override run<T>(account: { chainId: number; address: Address }, send: () => Promise<T>) {
    return super.run(account, send).then(() => {
      throw new Error("gateway killed after broadcast");
    });
  }
}

interface Chainside {
  node: HardhatNode;
  deployment: TestDeployment;
  claims: Address;
  client: PublicClient<Transport, Chain>;
  /** The registry admin's wallet: it registers certificates. */
  admin: ReturnType<typeof hardhatTestClients>["admin"];
}

async function setUpChain(directory: string): Promise<Chainside> {
  const node = await startHardhatNode();
  const deployment = await deployTestContracts({
    rpcUrl: node.rpcUrl,
    siteId: TEST_SITE_ID,
    directory,
  });
  const {
    publicClient: client,
    admin,
    manager,
    mined,
  } = hardhatTestClients({ rpcUrl: node.rpcUrl, chainId: deployment.chainId });
  const artifact = JSON.parse(
    readFileSync(
      path.join(
        import.meta.dirname,
        "..",
        "..",
        "..",
        "artifacts",
        "contracts",
        "CertificateClaims.sol",
        "CertificateClaims.json",
      ),
      "utf8",
    ),
  ) as { abi: Abi; bytecode: Hex };
  const deployed = await client.waitForTransactionReceipt({
    hash: await admin.deployContract({ ...artifact, args: [deployment.registry] }),
  });
  const claims = deployed.contractAddress;
  assert.ok(claims !== null && claims !== undefined, "CertificateClaims deployed");
  const registry = { address: deployment.registry, abi: energyRegistryAbi } as const;
  // A second site (another company's) with its own gateway key as oracle; the admin registers certificates.
  await mined(
    await admin.writeContract({
      ...registry,
      functionName: "registerSite",
      args: [OTHER_SITE_ID, admin.account.address, manager.account.address, "Other site"],
    }),
  );
  const oracleRole = await client.readContract({
    ...registry,
    functionName: "siteRole",
    args: [await client.readContract({ ...registry, functionName: "ORACLE_ROLE" }), OTHER_SITE_ID],
  });
  await mined(
    await manager.writeContract({
      ...registry,
      functionName: "grantRole",
      args: [oracleRole, privateKeyToAccount(OTHER_ORACLE_KEY).address],
    }),
  );
  await mined(
    await admin.writeContract({
      ...registry,
      functionName: "grantRole",
      args: [
        await client.readContract({
          address: claims,
          abi: certificateClaimsAbi,
          functionName: "CERTIFICATE_REGISTRAR_ROLE",
        }),
        admin.account.address,
      ],
    }),
  );
  return { node, deployment, claims, client, admin };
}

async function registerGo(c: Chainside, certificateId: string, wattHours: bigint, startMs: number) {
  await registerCertificate(c.client, c.admin, {
    address: c.claims,
    certificate: {
      scheme: "AIB-EECS",
      certificateId,
      volumeWattHours: wattHours,
      periodStart: Math.floor((startMs - 86_400_000) / 1000),
      periodEnd: Math.floor((startMs + 86_400_000) / 1000),
      technology: "wind-onshore",
      zone: "DE",
    },
  });
}

/** One gateway: its own store, a load meter, the instruments file and its claimer. */
async function openGateway(parameters: {
  c: Chainside;
  directory: string;
  device: TestDevice;
  siteId: Hex;
  oracleKey: Hex;
  certificateId: string;
  startMs: number;
  sendQueue?: AccountSendQueue;
  ingest: boolean;
}) {
  const { c, directory, device, siteId, startMs } = parameters;
  const db = openStore({ dataDir: directory });
  const devices = new DevicesRepository(db);
  const writer = createInlineWriter(db);
  if (parameters.ingest) {
    device.register(devices);
    await writer.write([
      {
        deviceRef: devices.get(device.deviceId)?.deviceRef ?? 0,
        transport: "http",
        receivedAtMs: Date.now(),
        message: device.sign(readings(startMs)),
      },
    ]);
  }
  const instrumentsFile = path.join(directory, "instruments.json");
  writeFileSync(
    instrumentsFile,
    JSON.stringify({
      format: "ei-contractual-instruments-v1",
      instruments: [
        {
          certificateId: parameters.certificateId,
          type: "guarantee-of-origin",
          registry: "AIB-EECS",
          market: "DE",
          energySource: "wind",
          productionPeriod: { startMs: startMs - 86_400_000, endMs: startMs + 86_400_000 },
          volumeMilliWattHours: "2000000",
          emissionFactorGramsPerKilowattHour: "0",
        },
      ],
    }),
  );
  const market = await loadContractualInstruments(
    factorSourcesConfigSchema.parse({ instrumentsFile, market: "DE" }),
  );
  assert.ok(market !== undefined);
  const claimer = new CertificateClaimer({
    db,
    publicClient: c.client,
    account: privateKeyToAccount(parameters.oracleKey),
    chainId: c.deployment.chainId,
    address: c.claims,
    instruments: market.instruments,
    siteIds: [siteId],
    logger: pino({ level: "silent" }),
    retryMs: 1000,
    ...(parameters.sendQueue === undefined ? {} : { sendQueue: parameters.sendQueue }),
  });
  const services = await startAnchoringServices({
    db,
    dataDir: directory,
    containers: containersConfigSchema.parse({
      periodMs: PERIOD_MS,
      graceMs: 1000,
      checkIntervalMs: 3_600_000,
      streams: [
        {
          siteId,
          streamId: TEST_STREAM_ID,
          channels: [{ deviceId: device.deviceId, channel: 0 }],
          location: { region: "DE" },
        },
      ],
    }),
    ipfs: { mode: "helia" },
    chain: undefined,
    oracleKey: undefined,
    logger: pino({ level: "silent" }),
    market: { ...market, claims: claimer },
  });
  await claimer.refresh();
  return {
    db,
    claimer,
    services,
    /** The certificate's use in each of the gateway's containers, oldest first (mWh). */
    uses(): bigint[] {
      return services.containers
        .list({ limit: 50 })
        .reverse()
        .map((row) => {
          const document = containerDocumentSchema.parse(
            JSON.parse(new TextDecoder().decode(services.containers.document(row.containerRef))),
          );
          return BigInt(document.scope2?.instruments[0]?.usedMilliWattHours ?? "-1");
        });
    },
    async close() {
      await claimer.stop();
      await services.close();
      await writer.close();
      db.close();
    },
  };
}

describe("certificate claims recorded on chain by the gateway (CertificateClaims)", () => {
  let directory: string;
  let c: Chainside;
  const startMs = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 4 * 3_600_000;
  const at = (periods: number) => startMs + periods * PERIOD_MS + 2000;

  before(async () => {
    directory = mkdtempSync(path.join(tmpdir(), "ei-claims-"));
    c = await setUpChain(directory);
  });
  after(async () => {
    await c.node.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it("two sites' gateways sharing one certificate never use more than its volume; the refused claim is recorded and not counted", async () => {
    await registerGo(c, "GO-DE-SHARED", 2000n, startMs);
    const key = instrumentCertificateKey({
      certificateId: "GO-DE-SHARED",
      registry: "AIB-EECS",
      type: "guarantee-of-origin",
      market: "DE",
      energySource: "wind",
      productionPeriod: { startMs: 0, endMs: 1 },
      volumeMilliWattHours: 0n,
      emissionFactorGramsPerKilowattHour: "0",
    });
    const common = { c, certificateId: "GO-DE-SHARED", startMs, ingest: true };
    const a = await openGateway({
      ...common,
      directory: mkdtempSync(path.join(directory, "a-")),
      device: new TestDevice(0, { channelCount: 1, startMs }),
      siteId: TEST_SITE_ID,
      oracleKey: HARDHAT_ORACLE_KEY,
    });
    const b = await openGateway({
      ...common,
      directory: mkdtempSync(path.join(directory, "b-")),
      device: new OtherSiteDevice(1, { channelCount: 1, startMs }),
      siteId: OTHER_SITE_ID,
      oracleKey: OTHER_ORACLE_KEY,
    });
    try {
      // Both read 2000 Wh left and ask for their first period's 1500 Wh; nothing closes yet.
      assert.equal(a.services.closeNow(at(1)), 0);
      assert.equal(b.services.closeNow(at(1)), 0);
      await a.claimer.processOnce();
      await b.claimer.processOnce();
      const [claimA] = a.claimer.repository.ofPeriod(TEST_SITE_ID, TEST_STREAM_ID, startMs);
      const [claimB] = b.claimer.repository.ofPeriod(OTHER_SITE_ID, TEST_STREAM_ID, startMs);
      assert.equal(claimA?.state, "confirmed");
      assert.equal(claimB?.state, "refused");
      assert.match(claimB.reason ?? "", /^Claims_VolumeExceeded: asked 1500 Wh, 500 Wh left$/u);
      // Settled: both close; B's container counts none of the refused volume.
      assert.equal(a.services.closeNow(at(1)), 1);
      assert.equal(b.services.closeNow(at(1)), 1);
      assert.deepEqual(a.uses(), [PER_PERIOD_WH * 1000n]);
      assert.deepEqual(b.uses(), [0n]);

      // Next period: B reads the 500 Wh left and claims them; A, having read the same, is refused.
      assert.equal(b.services.closeNow(at(2)), 0);
      assert.equal(a.services.closeNow(at(2)), 0);
      await b.claimer.processOnce();
      await a.claimer.processOnce();
      assert.equal(b.services.closeNow(at(2)), 1);
      assert.equal(a.services.closeNow(at(2)), 1);
      assert.deepEqual(b.uses(), [0n, 500_000n]);
      assert.deepEqual(a.uses(), [PER_PERIOD_WH * 1000n, 0n]);

      // Used up: the third periods ask for nothing and close at once, at the residual mix.
      assert.equal(a.services.closeNow(at(3)), 1);
      assert.equal(b.services.closeNow(at(3)), 1);
      const onChain = await c.client.readContract({
        address: c.claims,
        abi: certificateClaimsAbi,
        functionName: "certificate",
        args: [key],
      });
      const used = [...a.uses(), ...b.uses()].reduce((sum, use) => sum + use, 0n);
      assert.equal(onChain.claimedWattHours, 2000n);
      assert.equal(used, 2_000_000n, "the containers count exactly what the chain confirmed");
      assert.equal(onChain.claimCount, 2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a gateway killed right after broadcasting a claim does not claim twice when it restarts", async () => {
    await registerGo(c, "GO-DE-RESTART", 2000n, startMs);
    const gatewayDir = mkdtempSync(path.join(directory, "restart-"));
    const device = new TestDevice(2, { channelCount: 1, startMs });
    const common = {
      c,
      directory: gatewayDir,
      device,
      siteId: TEST_SITE_ID,
      oracleKey: HARDHAT_ORACLE_KEY,
      certificateId: "GO-DE-RESTART",
      startMs,
    };
    const first = await openGateway({ ...common, ingest: true, sendQueue: new CrashAfterSend() });
    assert.equal(first.services.closeNow(at(1)), 0);
    await first.claimer.processOnce();
    const [sent] = first.claimer.repository.ofPeriod(TEST_SITE_ID, TEST_STREAM_ID, startMs);
    assert.equal(sent?.state, "submitted", "broadcast, outcome unknown");
    await first.close();

    const second = await openGateway({ ...common, ingest: false });
    try {
      // The restart closes nothing until the stored transaction is settled, and sends no new one.
      assert.equal(second.services.closeNow(at(1)), 0);
      await second.claimer.processOnce(Date.now() + 60_000);
      const [settled] = second.claimer.repository.ofPeriod(TEST_SITE_ID, TEST_STREAM_ID, startMs);
      assert.equal(settled?.state, "confirmed");
      assert.equal(settled.txHash, sent.txHash);
      assert.equal(second.services.closeNow(at(1)), 1);
      assert.deepEqual(second.uses(), [PER_PERIOD_WH * 1000n]);
      const onChain = await c.client.readContract({
        address: c.claims,
        abi: certificateClaimsAbi,
        functionName: "certificate",
        args: [settled.certificateKey],
      });
      assert.equal(onChain.claimCount, 1);
      assert.equal(onChain.claimedWattHours, PER_PERIOD_WH);
    } finally {
      await second.close();
    }
  });
});
