import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import { decodeEventLog, encodeFunctionData, parseAbi, type Hex } from "viem";
import { dataContainersAbi } from "../../sdk/src/contracts/generated/abis.ts";
import { buildContainerBatchTypedData } from "../../sdk/src/eip712/buildContainerBatchTypedData.ts";
import { eip712Domain } from "../../sdk/src/eip712/eip712Domain.ts";
import { hashEip712TypedData } from "../../sdk/src/eip712/hashEip712TypedData.ts";
import { signEip712TypedData } from "../../sdk/src/eip712/signEip712TypedData.ts";
import { buildMerkleTree } from "../../sdk/src/merkle/buildMerkleTree.ts";
import { READING_LEAF_TYPES, type ReadingLeaf } from "../../sdk/src/readings/readingLeaf.ts";
import {
  BASE_URI,
  OTHER_SITE_ID,
  SITE_ID,
  deployAll,
  id,
  makeHeader,
  signBatch,
  type ContainerHeader,
  type Fixture,
} from "./fixture.ts";

const { viem, networkHelpers } = await network.create();
async function fixture() {
  return deployAll(viem);
}

async function anchorOne(f: Fixture, header: ContainerHeader) {
  const signature = await signBatch(viem, f.oracle, f.containers.address, [header]);
  return f.containers.write.anchor([header, f.oracle.account.address, signature], {
    account: f.relayer.account,
  });
}

async function anchoredHeaders(f: Fixture, hash: Hex): Promise<readonly ContainerHeader[]> {
  const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
  for (const log of receipt.logs) {
    try {
      const event = decodeEventLog({ abi: dataContainersAbi, data: log.data, topics: log.topics });
      if (event.eventName === "ContainersAnchored") return event.args.headers;
    } catch {
      // Logs of other events (TransferSingle/TransferBatch) decode under other names.
    }
  }
  throw new Error("no ContainersAnchored event");
}

function readings(count: number): ReadingLeaf[] {
  return Array.from({ length: count }, (_, i) => ({
    salt: id(`salt:${i}`),
    deviceId: id("device:ct-clamp-1"),
    channel: 1,
    sequence: BigInt(i),
    timestampMs: 1_767_225_600_000n + BigInt(i) * 1000n,
    energyImportedMilliWattHours: 1_000_000n + BigInt(i) * 250n,
    energyExportedMilliWattHours: 0n,
    quality: 0,
    detailsHash: `0x${"00".repeat(32)}`,
  }));
}
const leafValues = (r: ReadingLeaf) => [
  r.salt,
  r.deviceId,
  r.channel,
  r.sequence,
  r.timestampMs,
  r.energyImportedMilliWattHours,
  r.energyExportedMilliWattHours,
  r.quality,
  r.detailsHash,
];

describe("DataContainers", () => {
  describe("anchor", () => {
    it("mints one token to the site owner, stores the header's struct hash and logs the header", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const header = makeHeader(0);
      const hash = await anchorOne(f, header);
      const tokenId = await f.containers.read.containerId([
        header.siteId,
        header.streamId,
        header.periodStart,
        header.periodEnd,
        header.revision,
      ]);
      assert.equal(await f.containers.read.balanceOf([f.owner.account.address, tokenId]), 1n);
      assert.equal(await f.containers.read.exists([tokenId]), true);
      assert.equal(
        await f.containers.read.commitmentOf([tokenId]),
        await f.containers.read.hashHeader([header]),
      );
      assert.deepEqual(await anchoredHeaders(f, hash), [header]);
    });
    it("accepts a signature made with the sdk's EIP-712 helpers, and the digests agree", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const header = makeHeader(0);
      const typedData = buildContainerBatchTypedData({
        domain: eip712Domain({
          chainId: await f.publicClient.getChainId(),
          verifyingContract: f.containers.address,
        }),
        containers: [header],
      });
      assert.equal(await f.containers.read.batchDigest([[header]]), hashEip712TypedData(typedData));
      const signature = await signEip712TypedData({ signer: f.oracle, typedData });
      await f.containers.write.anchor([header, f.oracle.account.address, signature]);
      assert.equal(await f.containers.read.uri([0n]), BASE_URI);
    });
    it("accepts an ERC-1271 contract oracle", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const wallet = await viem.deployContract("Erc1271Wallet", [f.stranger.account.address]);
      await f.registry.write.grantRole([f.oracleRole, wallet.address], {
        account: f.manager.account,
      });
      const header = makeHeader(0);
      const signature = await signBatch(viem, f.stranger, f.containers.address, [header]);
      await f.containers.write.anchor([header, wallet.address, signature]);
      const badSignature = await signBatch(viem, f.oracle, f.containers.address, [makeHeader(1)]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.containers.write.anchor([makeHeader(1), wallet.address, badSignature]),
        f.containers,
        "Containers_BadSignature",
        [wallet.address],
      );
    });
  });

  describe("anchorMany", () => {
    it("anchors a batch under one signature and logs the headers in order", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const headers = Array.from({ length: 10 }, (_, i) => makeHeader(i));
      const signature = await signBatch(viem, f.oracle, f.containers.address, headers);
      const hash = await f.containers.write.anchorMany(
        [headers, f.oracle.account.address, signature],
        {
          account: f.relayer.account,
        },
      );
      assert.deepEqual(await anchoredHeaders(f, hash), headers);
      for (const header of headers) {
        const tokenId = await f.containers.read.containerId([
          header.siteId,
          header.streamId,
          header.periodStart,
          header.periodEnd,
          header.revision,
        ]);
        assert.equal(await f.containers.read.balanceOf([f.owner.account.address, tokenId]), 1n);
      }
    });
    it("reverts on an empty batch", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomError(
        f.containers.write.anchorMany([[], f.oracle.account.address, "0x"]),
        f.containers,
        "Containers_EmptyBatch",
      );
    });
    it("reverts when a header names another site", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const headers = [makeHeader(0), makeHeader(1, { siteId: OTHER_SITE_ID })];
      const signature = await signBatch(viem, f.oracle, f.containers.address, headers);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.containers.write.anchorMany([headers, f.oracle.account.address, signature]),
        f.containers,
        "Containers_MixedSites",
        [1n, SITE_ID, OTHER_SITE_ID],
      );
    });
    it("reverts when the headers' calldata is not canonically encoded", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const [h0, h1] = [makeHeader(0), makeHeader(1)];
      // Signed in the order the contract will decode: the offsets below point at h1's bytes first.
      const signature = await signBatch(viem, f.oracle, f.containers.address, [h1, h0]);
      const data = encodeFunctionData({
        abi: dataContainersAbi,
        functionName: "anchorMany",
        args: [[h0, h1], f.oracle.account.address, signature],
      });
      // selector, 3 head words, array length; then the two element offsets: swap them.
      const offsetsAt = 2 + 8 + 64 * 4;
      const first = data.slice(offsetsAt, offsetsAt + 64);
      const second = data.slice(offsetsAt + 64, offsetsAt + 128);
      const swapped =
        `${data.slice(0, offsetsAt)}${second}${first}${data.slice(offsetsAt + 128)}` as Hex;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.admin.sendTransaction({ to: f.containers.address, data: swapped }),
        f.containers,
        "Containers_NonCanonicalEncoding",
        [0n],
      );
    });
  });

  describe("signer and site checks", () => {
    it("reverts for an unknown site", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        anchorOne(f, makeHeader(0, { siteId: OTHER_SITE_ID })),
        f.containers,
        "Containers_UnknownSite",
        [OTHER_SITE_ID],
      );
    });
    it("reverts when the signer is not the site's oracle, even if it oracles another site", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await f.registry.write.registerSite([
        OTHER_SITE_ID,
        f.owner.account.address,
        f.manager.account.address,
        "Lyon 2",
      ]);
      const otherOracleRole = await f.registry.read.siteRole([
        await f.registry.read.ORACLE_ROLE(),
        OTHER_SITE_ID,
      ]);
      await f.registry.write.grantRole([otherOracleRole, f.stranger.account.address], {
        account: f.manager.account,
      });
      const header = makeHeader(0);
      const signature = await signBatch(viem, f.stranger, f.containers.address, [header]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.containers.write.anchor([header, f.stranger.account.address, signature]),
        f.containers,
        "Containers_SignerNotOracle",
        [SITE_ID, f.stranger.account.address],
      );
    });
    it("reverts on a signature over other headers or by another key", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const header = makeHeader(0);
      const overOther = await signBatch(viem, f.oracle, f.containers.address, [makeHeader(1)]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.containers.write.anchor([header, f.oracle.account.address, overOther]),
        f.containers,
        "Containers_BadSignature",
        [f.oracle.account.address],
      );
      const byStranger = await signBatch(viem, f.stranger, f.containers.address, [header]);
      await viem.assertions.revertWithCustomError(
        f.containers.write.anchor([header, f.oracle.account.address, byStranger]),
        f.containers,
        "Containers_BadSignature",
      );
    });
    it("keeps containers anchored before an oracle's revocation, and rejects it after", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const hash = await anchorOne(f, makeHeader(0));
      const { blockNumber } = await f.publicClient.waitForTransactionReceipt({ hash });
      await f.registry.write.revokeRole([f.oracleRole, f.oracle.account.address], {
        account: f.manager.account,
      });
      assert.equal(
        await f.registry.read.wasOracleAt([SITE_ID, f.oracle.account.address, blockNumber]),
        true,
      );
      const header = makeHeader(0);
      const tokenId = await f.containers.read.containerId([
        header.siteId,
        header.streamId,
        header.periodStart,
        header.periodEnd,
        0,
      ]);
      assert.equal(await f.containers.read.exists([tokenId]), true);
      await viem.assertions.revertWithCustomError(
        anchorOne(f, makeHeader(1)),
        f.containers,
        "Containers_SignerNotOracle",
      );
    });
  });

  describe("header checks", () => {
    it("reverts on a period that does not end after it starts", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const start = makeHeader(0).periodStart;
      for (const periodEnd of [start, start - 1n]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          anchorOne(f, makeHeader(0, { periodEnd })),
          f.containers,
          "Containers_InvalidPeriod",
          [start, periodEnd],
        );
      }
    });
    it("reverts on a zero Merkle root and an empty CID", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomError(
        anchorOne(f, makeHeader(0, { merkleRoot: `0x${"00".repeat(32)}` })),
        f.containers,
        "Containers_ZeroMerkleRoot",
      );
      await viem.assertions.revertWithCustomError(
        anchorOne(f, makeHeader(0, { cid: "0x" })),
        f.containers,
        "Containers_EmptyCid",
      );
    });
    it("reverts when the same site, stream, period and revision is anchored twice", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await anchorOne(f, makeHeader(0));
      const again = makeHeader(0, { merkleRoot: id("other root") });
      const tokenId = await f.containers.read.containerId([
        again.siteId,
        again.streamId,
        again.periodStart,
        again.periodEnd,
        0,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        anchorOne(f, again),
        f.containers,
        "Containers_AlreadyAnchored",
        [tokenId],
      );
    });
  });

  describe("corrections", () => {
    it("a next revision supersedes the previous one", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const original = makeHeader(0);
      await anchorOne(f, original);
      const key = [
        original.siteId,
        original.streamId,
        original.periodStart,
        original.periodEnd,
      ] as const;
      const oldId = await f.containers.read.containerId([...key, 0]);
      const newId = await f.containers.read.containerId([...key, 1]);
      const correction = makeHeader(0, {
        revision: 1,
        supersedes: oldId,
        merkleRoot: id("corrected"),
      });
      await viem.assertions.emitWithArgs(
        anchorOne(f, correction),
        f.containers,
        "ContainerSuperseded",
        [oldId, newId],
      );
      assert.equal(await f.containers.read.supersededBy([oldId]), newId);
      assert.equal(await f.containers.read.supersededBy([newId]), 0n);
    });
    it("reverts when revision 0 supersedes something", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        anchorOne(f, makeHeader(0, { supersedes: 7n })),
        f.containers,
        "Containers_UnexpectedSupersedes",
        [7n],
      );
    });
    it("reverts when a correction names another container than the previous revision", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const original = makeHeader(0);
      await anchorOne(f, original);
      const previous = await f.containers.read.containerId([
        original.siteId,
        original.streamId,
        original.periodStart,
        original.periodEnd,
        0,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        anchorOne(f, makeHeader(0, { revision: 1, supersedes: 5n })),
        f.containers,
        "Containers_WrongSupersedes",
        [previous, 5n],
      );
    });
    it("reverts when the previous revision was never anchored", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const h = makeHeader(0);
      const previous = await f.containers.read.containerId([
        h.siteId,
        h.streamId,
        h.periodStart,
        h.periodEnd,
        0,
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        anchorOne(f, makeHeader(0, { revision: 1, supersedes: previous })),
        f.containers,
        "Containers_SupersededUnknown",
        [previous],
      );
    });
  });

  describe("verifyReading", () => {
    const values = readings(37);
    const ozTree = StandardMerkleTree.of(values.map(leafValues), [...READING_LEAF_TYPES]);
    const sdkTree = buildMerkleTree(READING_LEAF_TYPES, values.map(leafValues));

    it("the sdk and OpenZeppelin build the same root", () => {
      assert.equal(sdkTree.root, ozTree.root);
    });
    it("verifies proofs from both libraries and rejects a reading that is not in the container", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const header = makeHeader(0, { merkleRoot: ozTree.root as Hex, readingCount: values.length });
      await anchorOne(f, header);
      for (const index of [0, 17, 36]) {
        const reading = values[index];
        assert.ok(reading);
        assert.equal(
          await f.containers.read.readingLeaf([reading]),
          ozTree.leafHash(leafValues(reading)),
        );
        const ozProof = ozTree.getProof(index) as Hex[];
        assert.equal(await f.containers.read.verifyReading([header, reading, ozProof]), true);
        assert.equal(
          await f.containers.read.verifyReading([header, reading, sdkTree.getProof(index)]),
          true,
        );
        const forged = {
          ...reading,
          energyImportedMilliWattHours: reading.energyImportedMilliWattHours + 1n,
        };
        assert.equal(await f.containers.read.verifyReading([header, forged, ozProof]), false);
      }
    });
    it("reverts for an unknown container and for a header that is not the anchored one", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const header = makeHeader(0, { merkleRoot: ozTree.root as Hex });
      const reading = values[0];
      assert.ok(reading);
      await viem.assertions.revertWithCustomError(
        f.containers.read.verifyReading([header, reading, []]),
        f.containers,
        "Containers_UnknownContainer",
      );
      await anchorOne(f, header);
      await viem.assertions.revertWithCustomError(
        f.containers.read.verifyReading([{ ...header, merkleRoot: id("other") }, reading, []]),
        f.containers,
        "Containers_HeaderMismatch",
      );
    });
  });

  describe("setBaseUri and registry", () => {
    it("lets an admin set the URI template and emits BaseUriSet", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.emitWithArgs(
        f.containers.write.setBaseUri(["ipfs://meta/{id}.json"]),
        f.containers,
        "BaseUriSet",
        ["ipfs://meta/{id}.json"],
      );
      assert.equal(await f.containers.read.uri([123n]), "ipfs://meta/{id}.json");
      assert.equal(
        (await f.containers.read.registry()).toLowerCase(),
        f.registry.address.toLowerCase(),
      );
    });
    it("reverts for a non-admin", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.containers.write.setBaseUri(["x"], { account: f.stranger.account }),
        f.containers,
        "Containers_NotAdmin",
        [f.stranger.account.address],
      );
    });
  });

  describe("ERC-1155", () => {
    it("lets the site owner transfer a container token", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const header = makeHeader(0);
      await anchorOne(f, header);
      const tokenId = await f.containers.read.containerId([
        header.siteId,
        header.streamId,
        header.periodStart,
        header.periodEnd,
        0,
      ]);
      const erc1155 = parseAbi([
        "function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes data)",
      ]);
      await f.owner.writeContract({
        address: f.containers.address,
        abi: erc1155,
        functionName: "safeTransferFrom",
        args: [f.owner.account.address, f.stranger.account.address, tokenId, 1n, "0x"],
      });
      assert.equal(await f.containers.read.balanceOf([f.stranger.account.address, tokenId]), 1n);
    });
  });
});
