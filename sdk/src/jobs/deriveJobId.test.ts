import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { encodeAbiParameters, keccak256, stringToHex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { deriveJobId } from "./deriveJobId.ts";

const SITE = keccak256(stringToHex("site:a"));

describe("deriveJobId", () => {
  it("is keccak256(abi.encode(siteId, reference)), as docs/stamping.md states", () => {
    const expected = keccak256(
      encodeAbiParameters([{ type: "bytes32" }, { type: "string" }], [SITE, "WO-1"]),
    );
    assert.equal(deriveJobId({ siteId: SITE, reference: "WO-1" }), expected);
  });
  it("gives distinct ids for distinct references at one site", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        (a, b) => {
          fc.pre(a !== b);
          assert.notEqual(
            deriveJobId({ siteId: SITE, reference: a }),
            deriveJobId({ siteId: SITE, reference: b }),
          );
        },
      ),
    );
  });
  it("refuses an empty or over-long reference and a malformed site id", () => {
    assert.throws(() => deriveJobId({ siteId: SITE, reference: "" }), InvalidInputError);
    assert.throws(
      () => deriveJobId({ siteId: SITE, reference: "x".repeat(65) }),
      InvalidInputError,
    );
    assert.throws(() => deriveJobId({ siteId: "0x12", reference: "a" }), InvalidInputError);
  });
});
