import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Abi, BaseError, encodeErrorResult, keccak256, stringToHex } from "viem";
import { jobStampsAbi } from "../contracts/generated/abis.ts";
import { JobStampsError } from "./JobStampsError.ts";
import { decodeJobStampsError } from "./decodeJobStampsError.ts";

const SITE = keccak256(stringToHex("site"));
const JOB = keccak256(stringToHex("job"));

/** viem nests the revert bytes in the cause chain; mimic that shape. */
function wrapped(data: `0x${string}`): Error {
  const inner = Object.assign(new Error("execution reverted"), { data });
  return new BaseError("The contract function reverted.", { cause: inner });
}

describe("decodeJobStampsError", () => {
  it("names the custom error, its arguments and a hint, from revert bytes deep in the cause chain", () => {
    const data = encodeErrorResult({
      abi: jobStampsAbi,
      errorName: "Jobs_AlreadyStarted",
      args: [SITE, JOB],
    });
    const decoded = decodeJobStampsError(wrapped(data));
    assert.ok(decoded instanceof JobStampsError);
    assert.equal(decoded.errorName, "Jobs_AlreadyStarted");
    assert.deepEqual(decoded.args, { siteId: SITE, jobId: JOB });
    assert.equal(decoded.shortMessage, `job ${JOB} was already started at site ${SITE}`);
    assert.deepEqual(decoded.hints, ["Use a new job reference, or stop the running job."]);
  });

  it("describes every JobStamps error in words rather than its bare name", () => {
    for (const item of jobStampsAbi) {
      if (item.type !== "error" || !/^(?:Jobs_|Nonces_)/u.test(item.name)) continue;
      const args = item.inputs.map((input) =>
        input.type === "bytes32" ? JOB : input.type === "address" ? `0x${"11".repeat(20)}` : 7n,
      );
      // The loop is over every error, so the ABI is used untyped here.
      const abi: Abi = jobStampsAbi;
      const data = encodeErrorResult({ abi, errorName: item.name, args });
      const decoded = decodeJobStampsError(wrapped(data));
      assert.ok(decoded !== undefined, item.name);
      assert.doesNotMatch(decoded.shortMessage, /the contract reverted/u, item.name);
    }
  });

  it("returns undefined for failures that are not contract reverts", () => {
    assert.equal(decodeJobStampsError(new Error("fetch failed")), undefined);
    assert.equal(decodeJobStampsError(wrapped("0xdeadbeef")), undefined);
  });
});
