import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseAbi } from "viem";
import { buildFootprintTypedData } from "../../sdk/src/eip712/buildFootprintTypedData.ts";
import { eip712Domain } from "../../sdk/src/eip712/eip712Domain.ts";
import { signEip712TypedData } from "../../sdk/src/eip712/signEip712TypedData.ts";
import {
  BASE_URI,
  MACHINE_ID,
  OTHER_SITE_ID,
  PRODUCT_ID,
  SITE_ID,
  deployAll,
  id,
  makeFootprint,
  signFootprint,
  type Fixture,
  type Footprint,
  type WalletClient,
} from "./fixture.ts";

const { viem, networkHelpers } = await network.create();

/** The base fixture plus two stopped jobs of the product: 60 and 40 units. */
async function fixture() {
  const f = await deployAll(viem);
  const asOperator = { account: f.operator.account };
  for (const [job, units] of [
    ["job:1", 60n],
    ["job:2", 40n],
  ] as const) {
    await f.jobs.write.startJob([SITE_ID, id(job), [MACHINE_ID], PRODUCT_ID], asOperator);
    await f.jobs.write.stopJob([SITE_ID, id(job), PRODUCT_ID, units], asOperator);
  }
  return f;
}
const twoJobs = makeFootprint({ jobIds: [id("job:1"), id("job:2")], units: 100n });

async function mint(f: Fixture, footprint: Footprint, signer: WalletClient = f.oracle) {
  const signature = await signFootprint(viem, signer, f.lots.address, footprint);
  return f.lots.write.mint([footprint, signer.account.address, signature], {
    account: f.relayer.account,
  });
}

describe("ProductLots", () => {
  describe("mint", () => {
    it("mints supply = units to the site owner and records the lot", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.emit(mint(f, twoJobs), f.lots, "LotMinted");
      const lotId = await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, twoJobs.jobIds]);
      assert.equal(await f.lots.read.balanceOf([f.owner.account.address, lotId]), 100n);
      assert.equal(await f.lots.read.exists([lotId]), true);
      assert.deepEqual(await f.lots.read.lot([lotId]), {
        siteId: SITE_ID,
        productId: PRODUCT_ID,
        footprintHash: await f.lots.read.hashFootprint([twoJobs]),
        units: 100n,
        energyMilliWattHours: twoJobs.energyMilliWattHours,
        emissionsLocationMilligramsCo2e: twoJobs.emissionsLocationMilligramsCo2e,
        emissionsMarketMilligramsCo2e: twoJobs.emissionsMarketMilligramsCo2e,
      });
      assert.equal(await f.lots.read.lotOfJob([SITE_ID, id("job:2")]), lotId);
      assert.equal(await f.lots.read.uri([lotId]), BASE_URI);
      assert.equal(await f.lots.read.isNonceUsed([f.oracle.account.address, 0n]), true);
    });
    it("logs per-unit figures rounded down", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const lotId = await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, twoJobs.jobIds]);
      await viem.assertions.emitWithArgs(mint(f, twoJobs), f.lots, "LotMinted", [
        lotId,
        SITE_ID,
        PRODUCT_ID,
        (value: unknown) => String(value).toLowerCase() === f.oracle.account.address.toLowerCase(),
        await f.lots.read.hashFootprint([twoJobs]),
        () => true,
        [50_000n, 20_000n, 10_000n],
      ]);
    });
    it("accepts a footprint signed with the sdk's helpers", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const typedData = buildFootprintTypedData({
        domain: eip712Domain({
          chainId: await f.publicClient.getChainId(),
          verifyingContract: f.lots.address,
        }),
        footprint: twoJobs,
      });
      const signature = await signEip712TypedData({ signer: f.oracle, typedData });
      await f.lots.write.mint([twoJobs, f.oracle.account.address, signature]);
      assert.equal(
        await f.lots.read.exists([
          await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, twoJobs.jobIds]),
        ]),
        true,
      );
    });
    it("transfers units to a buyer", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await mint(f, twoJobs);
      const lotId = await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, twoJobs.jobIds]);
      await f.owner.writeContract({
        address: f.lots.address,
        abi: parseAbi(["function safeTransferFrom(address, address, uint256, uint256, bytes)"]),
        functionName: "safeTransferFrom",
        args: [f.owner.account.address, f.stranger.account.address, lotId, 30n, "0x"],
      });
      assert.equal(await f.lots.read.balanceOf([f.stranger.account.address, lotId]), 30n);
      assert.equal(await f.lots.read.balanceOf([f.owner.account.address, lotId]), 70n);
    });
  });

  describe("mint reverts", () => {
    it("for an unknown site, a non-oracle and a bad signature", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        mint(f, { ...twoJobs, siteId: OTHER_SITE_ID }),
        f.lots,
        "Lots_UnknownSite",
        [OTHER_SITE_ID],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        mint(f, twoJobs, f.operator),
        f.lots,
        "Lots_SignerNotOracle",
        [SITE_ID, f.operator.account.address],
      );
      const signature = await signFootprint(viem, f.oracle, f.lots.address, {
        ...twoJobs,
        units: 99n,
      });
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.lots.write.mint([twoJobs, f.oracle.account.address, signature]),
        f.lots,
        "Lots_BadSignature",
        [f.oracle.account.address],
      );
    });
    it("for a replayed nonce", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await mint(f, makeFootprint({ jobIds: [id("job:1")], units: 60n, nonce: 3n }));
      await viem.assertions.revertWithCustomErrorWithArgs(
        mint(f, makeFootprint({ jobIds: [id("job:2")], units: 40n, nonce: 3n })),
        f.lots,
        "Nonces_AlreadyUsed",
        [f.oracle.account.address, 3n],
      );
    });
    it("for no jobs, zero units, an empty CID and an unknown product", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomError(
        mint(f, { ...twoJobs, jobIds: [] }),
        f.lots,
        "Lots_NoJobs",
      );
      await viem.assertions.revertWithCustomError(
        mint(f, { ...twoJobs, units: 0n }),
        f.lots,
        "Lots_ZeroUnits",
      );
      await viem.assertions.revertWithCustomError(
        mint(f, { ...twoJobs, cid: "0x" }),
        f.lots,
        "Lots_EmptyCid",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        mint(f, { ...twoJobs, productId: id("product:none") }),
        f.lots,
        "Lots_UnknownProduct",
        [SITE_ID, id("product:none")],
      );
    });
    it("for a job not stopped, a job of another product, a job already in a lot, a job listed twice", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const asOperator = { account: f.operator.account };
      await f.jobs.write.startJob([SITE_ID, id("job:3"), [MACHINE_ID], PRODUCT_ID], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(
        mint(f, makeFootprint({ jobIds: [id("job:3")], units: 1n })),
        f.lots,
        "Lots_JobNotStopped",
        [SITE_ID, id("job:3")],
      );
      const productB = id("product:b");
      await f.registry.write.registerProduct(
        [
          SITE_ID,
          productB,
          {
            sku: "B",
            name: "B",
            cpcCode: "1",
            declaredUnit: 2,
            unitaryProductAmountMicros: 1n,
            massPerDeclaredUnitMilligrams: 1n,
          },
        ],
        { account: f.manager.account },
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        mint(f, makeFootprint({ productId: productB, jobIds: [id("job:1")], units: 60n })),
        f.lots,
        "Lots_JobProductMismatch",
        [id("job:1"), productB],
      );
      await mint(f, makeFootprint({ jobIds: [id("job:1")], units: 60n, nonce: 1n }));
      const firstLot = await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, [id("job:1")]]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        mint(f, makeFootprint({ jobIds: [id("job:2"), id("job:1")], units: 100n, nonce: 2n })),
        f.lots,
        "Lots_JobAlreadyInLot",
        [id("job:1"), firstLot],
      );
      const twice = makeFootprint({ jobIds: [id("job:2"), id("job:2")], units: 80n, nonce: 3n });
      await viem.assertions.revertWithCustomError(mint(f, twice), f.lots, "Lots_JobAlreadyInLot");
    });
    it("when the units are not the jobs' units", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        mint(f, { ...twoJobs, units: 101n }),
        f.lots,
        "Lots_UnitsMismatch",
        [101n, 100n],
      );
    });
  });

  describe("setBaseUri and dependencies", () => {
    it("lets an admin set the URI and rejects others", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.emitWithArgs(
        f.lots.write.setBaseUri(["ipfs://lots/{id}"]),
        f.lots,
        "BaseUriSet",
        ["ipfs://lots/{id}"],
      );
      assert.equal(await f.lots.read.uri([1n]), "ipfs://lots/{id}");
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.lots.write.setBaseUri(["x"], { account: f.stranger.account }),
        f.lots,
        "Lots_NotAdmin",
        [f.stranger.account.address],
      );
      const [registry, jobs] = await f.lots.read.dependencies();
      assert.equal(registry.toLowerCase(), f.registry.address.toLowerCase());
      assert.equal(jobs.toLowerCase(), f.jobs.address.toLowerCase());
    });
  });
});
