import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { base36 } from "multiformats/bases/base36";
import { base58btc } from "multiformats/bases/base58";
import { InvalidInputError } from "../errors/index.ts";
import { cidFromBytes } from "./cidFromBytes.ts";
import { cidToBytes } from "./cidToBytes.ts";
import { cidToHex } from "./cidToHex.ts";
import { computeCid } from "./computeCid.ts";
import { formatCid } from "./formatCid.ts";
import { parseCid } from "./parseCid.ts";

// sha2-256("hello") = 2cf24dba…9824; the raw CIDv1 and the dag-pb CIDv0 of the
// same text differ in codec, which is why a CID is never kept as a bare digest.
const HELLO_RAW_V1 = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq";
const HELLO_HEX = "0x015512202cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
const EMPTY_DIR_V0 = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn";

describe("parseCid and formatCid", () => {
  it("round-trips a CIDv1 and keeps its codec", () => {
    const cid = parseCid(HELLO_RAW_V1);
    assert.equal(cid.version, 1);
    assert.equal(cid.code, 0x55);
    assert.equal(formatCid(cid), HELLO_RAW_V1);
    assert.ok(cid.equals(computeCid(new TextEncoder().encode("hello"))));
  });

  it("round-trips a CIDv0", () => {
    const cid = parseCid(EMPTY_DIR_V0);
    assert.equal(cid.version, 0);
    assert.equal(formatCid(cid), EMPTY_DIR_V0);
  });

  it("accepts base58btc and base36 forms of a CIDv1", () => {
    const cid = parseCid(HELLO_RAW_V1);
    const base58Text = cid.toString(base58btc);
    const base36Text = cid.toString(base36);
    assert.ok(base58Text.startsWith("z") && base36Text.startsWith("k"));
    assert.ok(parseCid(base58Text).equals(cid));
    assert.ok(parseCid(` ${base36Text}\n`).equals(cid));
  });

  it("refuses text that is not a CID, naming the field", () => {
    for (const text of ["", "hello", "bafkrei!", "Qm123", "zzzz"]) {
      assert.throws(
        () => parseCid(text, "header.cid"),
        (error: unknown) => error instanceof InvalidInputError && error.path === "header.cid",
        text,
      );
    }
  });
});

describe("cidToBytes, cidToHex and cidFromBytes", () => {
  it("encode version, codec and multihash", () => {
    const cid = parseCid(HELLO_RAW_V1);
    assert.equal(cidToHex(cid), HELLO_HEX);
    const bytes = cidToBytes(cid);
    assert.equal(bytes.length, 36);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x01, 0x55, 0x12, 0x20]);
  });

  it("decode from bytes and from hex", () => {
    const cid = parseCid(HELLO_RAW_V1);
    assert.ok(cidFromBytes(cidToBytes(cid)).equals(cid));
    assert.ok(cidFromBytes(HELLO_HEX).equals(cid));
  });

  it("hand out a copy, so the CID cannot be changed through it", () => {
    const cid = parseCid(HELLO_RAW_V1);
    const bytes = cidToBytes(cid);
    bytes[5] = 0;
    assert.equal(formatCid(cid), HELLO_RAW_V1);
  });

  it("refuse trailing bytes, truncation and bad hex", () => {
    for (const input of [
      `${HELLO_HEX}00`,
      HELLO_HEX.slice(0, -2),
      "0x",
      "0x0",
      "01551220",
      "0xzz",
    ]) {
      assert.throws(
        () => cidFromBytes(input as `0x${string}`, "containers[2].cid"),
        (error: unknown) =>
          error instanceof InvalidInputError && error.path === "containers[2].cid",
        input,
      );
    }
  });
});
