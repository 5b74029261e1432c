import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { keccak256, stringToHex } from "viem";
import { eip712TypeHash } from "../../../sdk/src/eip712/eip712TypeHash.ts";
import { eip712TypeString } from "../../../sdk/src/eip712/eip712TypeString.ts";
import {
  containerBatchTypes,
  footprintTypes,
  jobStampTypes,
} from "../../../sdk/src/eip712/types.ts";

// docs/formats.md is what a third party rebuilds signatures from: it must not
// drift from sdk/src/eip712/types.ts.
describe("docs/formats.md EIP-712 section", () => {
  const structs = [
    [containerBatchTypes, "ContainerBatch"],
    [containerBatchTypes, "ContainerHeader"],
    [jobStampTypes, "JobStamp"],
    [footprintTypes, "Footprint"],
  ] as const;

  for (const [types, primaryType] of structs) {
    it(`lists ${primaryType}'s type string and typehash as the sdk computes them`, async () => {
      const doc = await readFile(new URL("../../../docs/formats.md", import.meta.url), "utf8");
      const row = doc.split("\n").find((line) => line.startsWith(`| \`${primaryType}\``));
      assert.ok(row !== undefined, `no table row for ${primaryType}`);
      assert.ok(row.includes(`\`${eip712TypeString(types, primaryType)}\``), "type string");
      assert.ok(row.includes(`\`${eip712TypeHash(types, primaryType)}\``), "typehash");
    });
  }

  it("gives the EIP712Domain typehash", async () => {
    const doc = await readFile(new URL("../../../docs/formats.md", import.meta.url), "utf8");
    const domainType =
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
    assert.ok(doc.includes(domainType));
    assert.ok(doc.includes(keccak256(stringToHex(domainType))));
  });
});
