import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TypedDataEncoder, Wallet, verifyTypedData as ethersVerifyTypedData } from "ethers";
import type { TypedDataField } from "ethers";
import type { Hex, TypedDataDefinition } from "viem";
import { createWalletClient, custom, keccak256, recoverTypedDataAddress, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { InvalidInputError } from "../errors/index.ts";
import { buildContainerBatchTypedData } from "./buildContainerBatchTypedData.ts";
import { buildFootprintTypedData } from "./buildFootprintTypedData.ts";
import { buildJobStampTypedData } from "./buildJobStampTypedData.ts";
import { eip712Domain } from "./eip712Domain.ts";
import { eip712TypeHash } from "./eip712TypeHash.ts";
import { eip712TypeString } from "./eip712TypeString.ts";
import { hashEip712TypedData } from "./hashEip712TypedData.ts";
import type { ContainerHeader, EnergyTypedData } from "./messageTypes.ts";
import { recoverEip712Signer } from "./recoverEip712Signer.ts";
import { signEip712TypedData } from "./signEip712TypedData.ts";
import { toViemTypedData } from "./toViemTypedData.ts";
import {
  StampAction,
  StampChannel,
  containerBatchTypes,
  footprintTypes,
  jobStampTypes,
} from "./types.ts";
import { verifyEoaEip712Signature } from "./verifyEoaEip712Signature.ts";

// Hardhat's first two well-known development keys: public test keys, never funded anywhere real.
const KEY_A: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const KEY_B: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

const id = (label: string): Hex => keccak256(stringToHex(label));
const domain = eip712Domain({
  chainId: 31337,
  verifyingContract: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
});

function header(index: number): ContainerHeader {
  return {
    siteId: id("site:plant-1"),
    streamId: id(`stream:${index}`),
    periodStart: 1_700_000_000n + BigInt(index) * 3600n,
    periodEnd: 1_700_003_600n + BigInt(index) * 3600n,
    merkleRoot: id(`root:${index}`),
    cid: "0x015512202cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    readingCount: 3600 + index,
    energyImportedMilliWattHours: 12_345_678_901_234n,
    energyExportedMilliWattHours: 0n,
    emissionsLocationMilligramsCo2e: (1n << 127n) + 5n, // near the uint128 top
    emissionsMarketMilligramsCo2e: 42n,
    factorRef: id("factor:DE:2024"),
    revision: index,
    supersedes: index === 0 ? 0n : (1n << 255n) + 1n,
  };
}

const batchData = buildContainerBatchTypedData({
  domain,
  containers: [header(0), header(1), header(2)],
});
const emptyBatchData = buildContainerBatchTypedData({ domain, containers: [] });
const stampData = buildJobStampTypedData({
  domain,
  stamp: {
    jobId: id("job:42"),
    siteId: id("site:plant-1"),
    action: StampAction.start,
    machineIds: [id("m:1"), id("m:2"), id("m:3")],
    productId: id("product:widget"),
    units: 500n,
    time: 1_700_000_123n,
    channel: StampChannel.sms,
    nonce: 2n ** 200n + 7n,
  },
});
const footprintData = buildFootprintTypedData({
  domain,
  footprint: {
    siteId: id("site:plant-1"),
    productId: id("product:widget"),
    jobIds: [id("job:42"), id("job:43")],
    units: 1000n,
    cid: "0x01701220aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    energyMilliWattHours: 987_654_321n,
    emissionsLocationMilligramsCo2e: 123_456_789n,
    emissionsMarketMilligramsCo2e: 0n,
    nonce: 1n,
  },
});

const samples: [string, EnergyTypedData][] = [
  ["ContainerBatch of three headers", batchData],
  ["ContainerBatch of none", emptyBatchData],
  ["JobStamp with three machines", stampData],
  ["Footprint over two jobs", footprintData],
];

/** ethers wants mutable field arrays and no EIP712Domain entry. */
function ethersTypes(typedData: EnergyTypedData): Record<string, TypedDataField[]> {
  return JSON.parse(JSON.stringify(typedData.types)) as Record<string, TypedDataField[]>;
}

function ethersMessage(typedData: EnergyTypedData): Record<string, unknown> {
  return typedData.message as unknown as Record<string, unknown>;
}

describe("EIP-712 interop with ethers v6", () => {
  const accountA = privateKeyToAccount(KEY_A);
  const walletA = new Wallet(KEY_A);

  for (const [label, typedData] of samples) {
    describe(label, () => {
      it("hashes to ethers' TypedDataEncoder.hash", () => {
        assert.equal(
          hashEip712TypedData(typedData),
          TypedDataEncoder.hash(typedData.domain, ethersTypes(typedData), ethersMessage(typedData)),
        );
      });

      it("has ethers' type string", () => {
        assert.equal(
          eip712TypeString(typedData.types, typedData.primaryType),
          TypedDataEncoder.from(ethersTypes(typedData)).encodeType(typedData.primaryType),
        );
      });

      it("signs with a viem account so that ethers.verifyTypedData recovers the signer", async () => {
        const signature = await signEip712TypedData({ signer: accountA, typedData });
        assert.equal(
          ethersVerifyTypedData(
            typedData.domain,
            ethersTypes(typedData),
            ethersMessage(typedData),
            signature,
          ),
          accountA.address,
        );
      });

      it("verifies and recovers an ethers-made signature", async () => {
        const signature = (await walletA.signTypedData(
          typedData.domain,
          ethersTypes(typedData),
          ethersMessage(typedData),
        )) as Hex;
        assert.equal(await recoverEip712Signer({ typedData, signature }), accountA.address);
        assert.equal(
          await verifyEoaEip712Signature({ typedData, signer: accountA.address, signature }),
          true,
        );
        assert.equal(
          await verifyEoaEip712Signature({
            typedData,
            signer: privateKeyToAccount(KEY_B).address,
            signature,
          }),
          false,
        );
      });
    });
  }

  it("signs through a viem WalletClient with the same result as the account", async () => {
    const typedData = stampData;
    // The transport is never called: a local account signs in-process.
    const client = createWalletClient({
      account: accountA,
      transport: custom({
        request: () => Promise.reject(new Error("no RPC expected")),
      }),
    });
    assert.equal(
      await signEip712TypedData({ signer: client, typedData }),
      await signEip712TypedData({ signer: accountA, typedData }),
    );
  });

  it("fits viem's own typed-data types (compile-time check)", () => {
    const typed: TypedDataDefinition<typeof containerBatchTypes, "ContainerBatch"> = batchData;
    assert.ok(typed);
  });
});

describe("verification failures", () => {
  const accountA = privateKeyToAccount(KEY_A);

  it("a changed message, chain or contract no longer verifies", async () => {
    const signature = await signEip712TypedData({ signer: accountA, typedData: stampData });
    const variants: EnergyTypedData[] = [
      {
        ...stampData,
        message: { ...(stampData.message as object), units: 501n },
      } as EnergyTypedData,
      { ...stampData, domain: eip712Domain({ ...stampData.domain, chainId: 1 }) },
      {
        ...stampData,
        domain: eip712Domain({
          ...stampData.domain,
          verifyingContract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
        }),
      },
    ];
    for (const typedData of variants) {
      assert.equal(
        await verifyEoaEip712Signature({ typedData, signer: accountA.address, signature }),
        false,
      );
    }
  });

  it("refuses the high-s twin of a valid signature, as OpenZeppelin's ECDSA does", async () => {
    const signature = await signEip712TypedData({ signer: accountA, typedData: stampData });
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const v = signature.slice(130) === "1b" ? "1c" : "1b";
    const twin = `${signature.slice(0, 66)}${(n - s).toString(16).padStart(64, "0")}${v}` as Hex;
    // The twin is a mathematically valid signature: plain ecrecover (viem) accepts it…
    assert.equal(
      await recoverTypedDataAddress({ ...toViemTypedData(stampData), signature: twin }),
      accountA.address,
    );
    // …we do not.
    assert.equal(
      await verifyEoaEip712Signature({
        typedData: stampData,
        signer: accountA.address,
        signature: twin,
      }),
      false,
    );
    await assert.rejects(recoverEip712Signer({ typedData: stampData, signature: twin }), {
      name: "InvalidInputError",
      path: "signature",
    });
  });

  it("refuses malformed signatures as bad input", async () => {
    for (const signature of ["0x1234", "0x", `0x${"ab".repeat(64)}`] as Hex[]) {
      await assert.rejects(
        verifyEoaEip712Signature({ typedData: stampData, signer: accountA.address, signature }),
        { name: "InvalidInputError", path: "signature" },
      );
    }
  });
});

describe("typed-data validation", () => {
  const cases: [string, () => unknown, string][] = [
    [
      "a uint64 above its range",
      () =>
        buildContainerBatchTypedData({
          domain,
          containers: [header(0), { ...header(1), periodEnd: 1n << 64n }],
        }),
      "message.containers[1].periodEnd",
    ],
    [
      "a negative uint",
      () =>
        buildContainerBatchTypedData({ domain, containers: [{ ...header(0), readingCount: -1 }] }),
      "message.containers[0].readingCount",
    ],
    [
      "a bytes32 of the wrong length",
      () => {
        return buildJobStampTypedData({
          domain,
          stamp: { ...stampData.message, machineIds: [id("m:1"), "0x1234"] },
        });
      },
      "message.machineIds[1]",
    ],
    [
      "a missing field",
      () => {
        const { cid: _cid, ...rest } = header(0);
        return buildContainerBatchTypedData({ domain, containers: [rest as ContainerHeader] });
      },
      "message.containers[0].cid",
    ],
    [
      "an unknown field (a typo would be left out of the hash)",
      () =>
        buildContainerBatchTypedData({
          domain,
          containers: [{ ...header(0), revison: 1 } as ContainerHeader],
        }),
      "message.containers[0]",
    ],
    [
      "bytes of odd length",
      () => buildContainerBatchTypedData({ domain, containers: [{ ...header(0), cid: "0x123" }] }),
      "message.containers[0].cid",
    ],
    [
      "a zero chain id",
      () => eip712Domain({ chainId: 0, verifyingContract: domain.verifyingContract }),
      "chainId",
    ],
    [
      "a malformed contract address",
      () => eip712Domain({ chainId: 1, verifyingContract: "0x1234" }),
      "verifyingContract",
    ],
    [
      "another domain name",
      () =>
        hashEip712TypedData({
          ...emptyBatchData,
          domain: { ...domain, name: "Other" as "Energy-Intelligence" },
        }),
      "domain.name",
    ],
    [
      "types that differ from types.ts",
      () =>
        hashEip712TypedData({
          ...stampData,
          types: { JobStamp: jobStampTypes.JobStamp.slice(1) } as unknown as typeof jobStampTypes,
        }),
      "types",
    ],
  ];
  for (const [label, run, path] of cases) {
    it(`refuses ${label} with path ${path}`, () => {
      assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof InvalidInputError, String(error));
        assert.equal(error.path, path);
        return true;
      });
    });
  }
});

describe("type strings and typehashes", () => {
  it("match the strings the contracts hash", () => {
    assert.equal(
      eip712TypeString(jobStampTypes, "JobStamp"),
      "JobStamp(bytes32 jobId,bytes32 siteId,uint8 action,bytes32[] machineIds,bytes32 productId," +
        "uint64 units,uint64 time,uint8 channel,uint256 nonce)",
    );
    assert.match(
      eip712TypeString(containerBatchTypes, "ContainerBatch"),
      /^ContainerBatch\(ContainerHeader\[\] containers\)ContainerHeader\(bytes32 siteId,/u,
    );
    assert.equal(
      eip712TypeHash(footprintTypes, "Footprint"),
      keccak256(stringToHex(eip712TypeString(footprintTypes, "Footprint"))),
    );
  });
});
