import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import type { Address, Hex } from "viem";
import { isAddressEqual, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { buildFootprintTypedData } from "../../../sdk/src/eip712/buildFootprintTypedData.ts";
import { eip712Domain } from "../../../sdk/src/eip712/eip712Domain.ts";
import type { FootprintTypedData } from "../../../sdk/src/eip712/messageTypes.ts";
import { signEip712TypedData } from "../../../sdk/src/eip712/signEip712TypedData.ts";
import { verifyEip712Signature } from "../../../sdk/src/eip712/verifyEip712Signature.ts";
import { verifyEoaEip712Signature } from "../../../sdk/src/eip712/verifyEoaEip712Signature.ts";

// Hardhat's first development account key (public, test only).
const HARDHAT_KEY_0: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

const id = (label: string): Hex => keccak256(stringToHex(label));

// Lives in test/ rather than beside the sdk source: it needs Hardhat, a compiled
// contract (contracts/test/mocks/Erc1271Wallet.sol) and the root tsconfig's
// Hardhat type extensions.
describe("verifyEip712Signature (viem public client, in-process Hardhat chain)", () => {
  let connection: NetworkConnection;
  let viem: NetworkConnection["viem"];
  let walletAddress: Address;
  let typedData: FootprintTypedData;

  before(async () => {
    connection = await network.create();
    viem = connection.viem;
    const [owner] = await viem.getWalletClients();
    assert.ok(owner !== undefined);
    const wallet = await viem.deployContract("Erc1271Wallet", [owner.account.address]);
    walletAddress = wallet.address;
    const publicClient = await viem.getPublicClient();
    typedData = buildFootprintTypedData({
      domain: eip712Domain({
        chainId: await publicClient.getChainId(),
        // The contract that would check this signature; any address works for the digest.
        verifyingContract: wallet.address,
      }),
      footprint: {
        siteId: id("site:plant-1"),
        productId: id("product:widget"),
        jobIds: [id("job:1"), id("job:2")],
        units: 250n,
        cid: `0x01551220${"cd".repeat(32)}`,
        energyMilliWattHours: 5_000_000n,
        emissionsLocationMilligramsCo2e: 1_900_000n,
        emissionsMarketMilligramsCo2e: 1_200_000n,
        nonce: 9n,
      },
    });
  });

  after(async () => {
    await connection.close();
  });

  it("signs through a JSON-RPC wallet client (eth_signTypedData_v4) like a local key", async () => {
    const [owner] = await viem.getWalletClients();
    assert.ok(owner !== undefined);
    assert.ok(isAddressEqual(owner.account.address, privateKeyToAccount(HARDHAT_KEY_0).address));
    assert.equal(
      await signEip712TypedData({ signer: owner, typedData }),
      await signEip712TypedData({ signer: privateKeyToAccount(HARDHAT_KEY_0), typedData }),
    );
  });

  it("accepts the owner's signature for an ERC-1271 wallet contract", async () => {
    const [owner] = await viem.getWalletClients();
    assert.ok(owner !== undefined);
    const client = await viem.getPublicClient();
    const signature = await signEip712TypedData({ signer: owner, typedData });
    assert.equal(
      await verifyEip712Signature({ client, typedData, signer: walletAddress, signature }),
      true,
    );
    // The pure EOA path cannot know about contract wallets: it says no.
    assert.equal(
      await verifyEoaEip712Signature({ typedData, signer: walletAddress, signature }),
      false,
    );
  });

  it("refuses another key's signature for the wallet, and a changed message", async () => {
    const [, stranger] = await viem.getWalletClients();
    const [owner] = await viem.getWalletClients();
    assert.ok(owner !== undefined && stranger !== undefined);
    const client = await viem.getPublicClient();
    const strangerSignature = await signEip712TypedData({ signer: stranger, typedData });
    assert.equal(
      await verifyEip712Signature({
        client,
        typedData,
        signer: walletAddress,
        signature: strangerSignature,
      }),
      false,
    );
    const ownerSignature = await signEip712TypedData({ signer: owner, typedData });
    const changed = { ...typedData, message: { ...typedData.message, units: 251n } };
    assert.equal(
      await verifyEip712Signature({
        client,
        typedData: changed,
        signer: walletAddress,
        signature: ownerSignature,
      }),
      false,
    );
  });

  it("verifies an EOA signer through the client too", async () => {
    const [, stranger] = await viem.getWalletClients();
    assert.ok(stranger !== undefined);
    const client = await viem.getPublicClient();
    const signature = await signEip712TypedData({ signer: stranger, typedData });
    assert.equal(
      await verifyEip712Signature({
        client,
        typedData,
        signer: stranger.account.address,
        signature,
      }),
      true,
    );
  });
});
