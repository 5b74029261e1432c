// The portal's stamps end to end: a password sign-in, a start and a stop
// signed with the portal's relay key, relayed through a real gateway's
// POST /v1/stamps, landed on a Hardhat node with channel 1 "portal".
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Hex, PrivateKeyAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { energyRegistryAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { eip712Domain } from "@energy-intelligence/sdk/eip712/index";
import { deriveJobId } from "@energy-intelligence/sdk/jobs/index";
import { HARDHAT_MANAGER_KEY } from "../../oracle/src/chain/testing/deployTestContracts.ts";
import {
  BRACKET,
  PRESS,
  SITE_ID,
  type StampingChain,
  type StampingGateway,
  openStampingGateway,
  startStampingChain,
} from "../../oracle/src/jobs/testing/stampingFixture.ts";
import { PortalStamper } from "../src/portal/portalStamper.ts";
import { type SiteCatalog, readSiteCatalog } from "../src/wallet/readSiteCatalog.ts";
import { type TestPortal, openTestPortal, portalRequest, signIn } from "./portalTestServer.ts";

const PASSWORD = "press seven all day long";
let chain: StampingChain;
let gateway: StampingGateway;
let gatewayUrl: string;
let relay: PrivateKeyAccount;

const catalogOf = (siteId: Hex): Promise<SiteCatalog> =>
  readSiteCatalog({
    publicClient: chain.publicClient,
    registry: chain.registry,
    jobStamps: chain.jobStamps,
    siteId,
    fromBlock: 0n,
  });

async function portalWith(account: PrivateKeyAccount): Promise<TestPortal> {
  const portal = openTestPortal({
    catalog: catalogOf,
    stamper: (db) =>
      new PortalStamper({
        db,
        relayAccount: account,
        domain: eip712Domain({ chainId: chain.chainId, verifyingContract: chain.jobStamps }),
        gatewayUrl,
        catalog: catalogOf,
      }),
  });
  await portal.addUser("ana", PASSWORD, [{ siteId: SITE_ID, role: "operator" }]);
  return portal;
}

async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

before(async () => {
  chain = await startStampingChain();
  gateway = await openStampingGateway(chain);
  await gateway.app.listen({ host: "127.0.0.1", port: 0 });
  gatewayUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;
  // The site manager grants the portal's relay key the site's operator role, as docs/portal.md says.
  relay = privateKeyToAccount(generatePrivateKey());
  const manager = chain.walletFor(privateKeyToAccount(HARDHAT_MANAGER_KEY));
  const reg = { address: chain.registry, abi: energyRegistryAbi } as const;
  const role = await chain.publicClient.readContract({
    ...reg,
    functionName: "siteRole",
    args: [
      await chain.publicClient.readContract({ ...reg, functionName: "OPERATOR_ROLE" }),
      SITE_ID,
    ],
  });
  await chain.publicClient.waitForTransactionReceipt({
    hash: await manager.writeContract({
      ...reg,
      functionName: "grantRole",
      args: [role, relay.address],
    }),
  });
});

after(async () => {
  await gateway.close();
  await chain.stop();
});

describe("portal stamping through the gateway", () => {
  it("starts and stops a job that lands on chain with channel portal, and keeps who stamped it", async () => {
    const portal = await portalWith(relay);
    try {
      const { cookie, csrf } = await signIn(portal, "ana", PASSWORD);
      const catalog = await portal.server.handle(
        portalRequest(`sites/${SITE_ID}/catalog`, { cookie }),
      );
      assert.equal(catalog.status, 200);
      const names = ((await catalog.json()) as { machines: { name: string }[] }).machines.map(
        (m) => m.name,
      );
      assert.deepEqual(names.sort(), ["Lathe 3", "Press 7"]);

      const reference = "WO-PORTAL-1";
      const started = await portal.server.handle(
        portalRequest("jobs/start", {
          cookie,
          csrf,
          body: { siteId: SITE_ID, reference, machines: ["Press 7"], product: BRACKET.sku },
        }),
      );
      assert.equal(started.status, 202, await started.clone().text());
      const jobId = deriveJobId({ siteId: SITE_ID, reference });
      assert.equal(((await started.json()) as { jobId: string }).jobId, jobId);
      const onChain = await until(
        async () => (await catalogOf(SITE_ID)).jobs.find((job) => job.jobId === jobId),
        "the portal's start on chain",
      );
      assert.equal(onChain.startChannel, "portal");
      assert.equal(onChain.startedBy, relay.address);
      assert.deepEqual(onChain.machineIds, [PRESS.machineId]);

      // The gateway's job rules reach the operator in words: the press is busy now.
      const busy = await portal.server.handle(
        portalRequest("jobs/start", {
          cookie,
          csrf,
          body: {
            siteId: SITE_ID,
            reference: "WO-PORTAL-2",
            machines: ["Press 7"],
            product: BRACKET.sku,
          },
        }),
      );
      assert.equal(busy.status, 409);
      const refusal = (await busy.json()) as { reason: string; detail: string };
      assert.equal(refusal.reason, "machine_busy");
      assert.match(refusal.detail, /Press 7 is busy/u);

      await new Promise((resolve) => setTimeout(resolve, 1100)); // a job lasts at least one second
      const stopped = await portal.server.handle(
        portalRequest("jobs/stop", { cookie, csrf, body: { siteId: SITE_ID, jobId, units: 12 } }),
      );
      assert.equal(stopped.status, 202, await stopped.clone().text());
      const done = await until(
        async () =>
          (await catalogOf(SITE_ID)).jobs.find(
            (job) => job.jobId === jobId && job.stoppedAtS !== null,
          ),
        "the portal's stop on chain",
      );
      assert.equal(done.stopChannel, "portal");
      assert.equal(done.units, 12);
      assert.ok((done.stoppedAtS ?? 0) > done.startedAtS);

      const user = portal.server.users.byUsername("ana");
      assert.deepEqual(
        portal.db
          .prepare(
            "SELECT user_id, action, status, gateway_reason FROM portal_stamps ORDER BY stamp_id",
          )
          .all(),
        [
          { user_id: user?.userId, action: 1, status: "accepted", gateway_reason: null },
          { user_id: user?.userId, action: 1, status: "refused", gateway_reason: "machine_busy" },
          { user_id: user?.userId, action: 2, status: "accepted", gateway_reason: null },
        ],
      );
    } finally {
      portal.close();
    }
  });

  it("says so when the portal's relay key is not an operator of the site, and nothing lands", async () => {
    const portal = await portalWith(privateKeyToAccount(generatePrivateKey()));
    try {
      const { cookie, csrf } = await signIn(portal, "ana", PASSWORD);
      const response = await portal.server.handle(
        portalRequest("jobs/start", {
          cookie,
          csrf,
          body: {
            siteId: SITE_ID,
            reference: "WO-NO-ROLE",
            machines: ["Lathe 3"],
            product: BRACKET.sku,
          },
        }),
      );
      assert.equal(response.status, 403);
      const body = (await response.json()) as { reason: string; detail: string };
      assert.equal(body.reason, "signer_not_authorized");
      assert.match(body.detail, /neither an operator nor an oracle/u);
      const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-NO-ROLE" });
      assert.equal(gateway.stamping.jobs.job(SITE_ID, jobId), undefined);
    } finally {
      portal.close();
    }
  });

  it("refuses an unknown machine before signing anything", async () => {
    const portal = await portalWith(relay);
    try {
      const { cookie, csrf } = await signIn(portal, "ana", PASSWORD);
      const response = await portal.server.handle(
        portalRequest("jobs/start", {
          cookie,
          csrf,
          body: {
            siteId: SITE_ID,
            reference: "WO-X",
            machines: ["Press 99"],
            product: BRACKET.sku,
          },
        }),
      );
      assert.equal(response.status, 422);
      assert.equal(((await response.json()) as { reason: string }).reason, "unknown_machine");
      const rows = portal.db.prepare("SELECT count(*) AS n FROM portal_stamps").get() as {
        n: number;
      };
      assert.equal(rows.n, 0);
    } finally {
      portal.close();
    }
  });
});
