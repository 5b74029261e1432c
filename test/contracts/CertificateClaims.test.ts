import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getContract, stringToHex } from "viem";
import { z } from "zod";
import {
  CertificateVolumeExceededError,
  certificateKey,
  claimCertificate,
  claimedElsewhereFromSnapshot,
  readCertificateClaims,
  registerCertificate,
} from "../../sdk/src/claims/index.ts";
import { certificateClaimsAbi } from "../../sdk/src/contracts/generated/abis.ts";
import { OTHER_SITE_ID, SITE_ID, deployAll, id } from "./fixture.ts";

const { viem, networkHelpers } = await network.create();

const scenarioSchema = z.object({
  certificate: z.object({
    scheme: z.string(),
    certificateId: z.string(),
    volumeWattHours: z.string().transform(BigInt),
    periodStart: z.number(),
    periodEnd: z.number(),
    technology: z.string(),
    zone: z.string(),
  }),
  claims: z.array(
    z.object({
      site: z.string(),
      volumeWattHours: z.string().transform(BigInt),
      periodStart: z.number(),
      periodEnd: z.number(),
      expect: z.union([
        z.object({ accepted: z.literal(true), remainingWattHours: z.string().transform(BigInt) }),
        z.object({
          accepted: z.literal(false),
          error: z.literal("Claims_VolumeExceeded"),
          args: z.object({
            requestedWattHours: z.string().transform(BigInt),
            remainingWattHours: z.string().transform(BigInt),
          }),
        }),
      ]),
    }),
  ),
  final: z.object({
    claimedWattHours: z.string().transform(BigInt),
    claimedBySite: z.record(z.string(), z.string().transform(BigInt)),
  }),
});

/** The base fixture, a second company's site (Lyon 2, its own owner and manager), and CertificateClaims. */
async function fixture() {
  const f = await deployAll(viem);
  const [, , , , , , , , otherOwner, otherManager, registrar] = await viem.getWalletClients();
  if (otherOwner === undefined || otherManager === undefined || registrar === undefined) {
    throw new Error("the Hardhat network needs 11 accounts");
  }
  await f.registry.write.registerSite([
    OTHER_SITE_ID,
    otherOwner.account.address,
    otherManager.account.address,
    "Lyon 2",
  ]);
  const { address } = await viem.deployContract("CertificateClaims", [f.registry.address]);
  const claims = getContract({
    address,
    abi: certificateClaimsAbi,
    client: { public: f.publicClient, wallet: f.admin },
  });
  await f.registry.write.grantRole([
    await claims.read.CERTIFICATE_REGISTRAR_ROLE(),
    registrar.account.address,
  ]);
  return { ...f, claims, otherManager, registrar };
}

describe("CertificateClaims", () => {
  it("reference scenario: a certificate claimed twice is rejected (test/fixtures/claims)", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const scenario = scenarioSchema.parse(
      JSON.parse(
        await readFile(
          new URL("../fixtures/claims/certificate-claimed-twice.json", import.meta.url),
          "utf8",
        ),
      ),
    );
    const { key } = await registerCertificate(f.publicClient, f.registrar, {
      address: f.claims.address,
      certificate: scenario.certificate,
    });
    assert.equal(
      key,
      await f.claims.read.certificateKey([
        scenario.certificate.scheme,
        scenario.certificate.certificateId,
      ]),
    );
    const sites = { "site:berlin-1": SITE_ID, "site:lyon-2": OTHER_SITE_ID } as const;
    const managers = { "site:berlin-1": f.manager, "site:lyon-2": f.otherManager } as const;
    for (const [index, step] of scenario.claims.entries()) {
      const site = z.enum(["site:berlin-1", "site:lyon-2"]).parse(step.site);
      const parameters = {
        address: f.claims.address,
        key,
        siteId: sites[site],
        volumeWattHours: step.volumeWattHours,
        periodStart: step.periodStart,
        periodEnd: step.periodEnd,
      };
      if (step.expect.accepted) {
        const { remainingWattHours } = await claimCertificate(
          f.publicClient,
          managers[site],
          parameters,
        );
        assert.equal(remainingWattHours, step.expect.remainingWattHours, `claim ${index}`);
        assert.equal(await f.claims.read.remainingOf([key]), step.expect.remainingWattHours);
      } else {
        const before = await f.claims.read.certificate([key]);
        await assert.rejects(
          claimCertificate(f.publicClient, managers[site], parameters),
          (error) => {
            assert.ok(error instanceof CertificateVolumeExceededError, String(error));
            assert.equal(
              error.requestedWattHours,
              step.expect.accepted ? 0n : step.expect.args.requestedWattHours,
            );
            assert.equal(
              error.remainingWattHours,
              step.expect.accepted ? 0n : step.expect.args.remainingWattHours,
            );
            return true;
          },
        );
        // Sent anyway (bypassing the sdk's simulation), the chain itself reverts with the same error.
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.claims.write.claim(
            [key, sites[site], step.volumeWattHours, step.periodStart, step.periodEnd],
            { account: managers[site].account },
          ),
          f.claims,
          "Claims_VolumeExceeded",
          [key, step.expect.args.requestedWattHours, step.expect.args.remainingWattHours],
        );
        assert.deepEqual(await f.claims.read.certificate([key]), before, "nothing changed");
      }
    }
    const snapshot = await readCertificateClaims(f.publicClient, {
      address: f.claims.address,
      keys: [key],
      siteIds: [SITE_ID, OTHER_SITE_ID],
    });
    assert.equal(snapshot.certificates.get(key)?.claimedWattHours, scenario.final.claimedWattHours);
    const check = claimedElsewhereFromSnapshot(snapshot);
    const berlin = check(scenario.certificate, SITE_ID);
    assert.equal(berlin.claimedBySiteWattHours, scenario.final.claimedBySite["site:berlin-1"]);
    assert.equal(berlin.claimedElsewhereWattHours, scenario.final.claimedBySite["site:lyon-2"]);
    assert.equal(check({ scheme: "I-REC", certificateId: "unknown" }, SITE_ID).registered, false);
  });

  it("emits CertificateRegistered and CertificateClaimed with the site's owner as the company", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const input = {
      scheme: "I-REC",
      certificateId: "IREC-PL-7",
      volumeWattHours: 1_000n,
      periodStart: 1_767_225_600,
      periodEnd: 1_767_229_200,
      technology: stringToHex("solar", { size: 32 }),
      zone: stringToHex("PL", { size: 32 }),
    };
    const key = certificateKey(input);
    await viem.assertions.emitWithArgs(
      f.claims.write.registerCertificate([input], { account: f.registrar.account }),
      f.claims,
      "CertificateRegistered",
      [
        key,
        f.registrar.account.address,
        "I-REC",
        "IREC-PL-7",
        1_000n,
        input.periodStart,
        input.periodEnd,
        input.technology,
        input.zone,
      ],
    );
    await viem.assertions.emitWithArgs(
      f.claims.write.claim([key, SITE_ID, 400n, input.periodStart, input.periodEnd], {
        account: f.oracle.account,
      }),
      f.claims,
      "CertificateClaimed",
      [
        key,
        SITE_ID,
        f.oracle.account.address,
        f.owner.account.address,
        0,
        400n,
        input.periodStart,
        input.periodEnd,
        600n,
      ],
    );
  });

  it("rejects registrations and claims with a specific error, changing nothing", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const good = {
      scheme: "AIB-EECS",
      certificateId: "GO-9",
      volumeWattHours: 10n,
      periodStart: 100,
      periodEnd: 200,
      technology: stringToHex("hydro", { size: 32 }),
      zone: stringToHex("FR", { size: 32 }),
    };
    const asRegistrar = { account: f.registrar.account };
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.claims.write.registerCertificate([good], { account: f.stranger.account }),
      f.claims,
      "Claims_NotRegistrar",
      [f.stranger.account.address],
    );
    await viem.assertions.revertWithCustomError(
      f.claims.write.registerCertificate([{ ...good, certificateId: "" }], asRegistrar),
      f.claims,
      "Claims_EmptyIdentity",
    );
    await viem.assertions.revertWithCustomError(
      f.claims.write.registerCertificate([{ ...good, volumeWattHours: 0n }], asRegistrar),
      f.claims,
      "Claims_ZeroVolume",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.claims.write.registerCertificate([{ ...good, periodEnd: 100 }], asRegistrar),
      f.claims,
      "Claims_InvalidPeriod",
      [100, 100],
    );
    await f.claims.write.registerCertificate([good], asRegistrar);
    const key = certificateKey(good);
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.claims.write.registerCertificate([good], asRegistrar),
      f.claims,
      "Claims_CertificateExists",
      [key],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.claims.write.claim([key, id("site:nowhere"), 1n, 100, 200], { account: f.manager.account }),
      f.claims,
      "Claims_UnknownSite",
      [id("site:nowhere")],
    );
    // The manager of Berlin is nobody at Lyon: a company cannot claim in another's name.
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.claims.write.claim([key, OTHER_SITE_ID, 1n, 100, 200], { account: f.manager.account }),
      f.claims,
      "Claims_NotSiteClaimant",
      [OTHER_SITE_ID, f.manager.account.address],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.claims.write.claim([id("nope"), SITE_ID, 1n, 100, 200], { account: f.manager.account }),
      f.claims,
      "Claims_UnknownCertificate",
      [id("nope")],
    );
    assert.equal((await f.claims.read.certificate([key])).claimedWattHours, 0n);
  });
});
