import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { GAS_GOALS } from "./gas.bench.ts";
import { measureGas } from "./measureGas.ts";

const { viem } = await network.create();

describe("gas goals", () => {
  it("stay within the issue's budgets, and below the naive baseline", async () => {
    const gas = await measureGas(viem);
    assert.ok(
      gas.containerBatch100 <= GAS_GOALS.containerBatch100,
      `batch of 100: ${gas.containerBatch100}`,
    );
    assert.ok(gas.containerAlone <= GAS_GOALS.containerAlone, `alone: ${gas.containerAlone}`);
    assert.ok(
      gas.jobStartDirect <= GAS_GOALS.jobStartDirect,
      `direct start: ${gas.jobStartDirect}`,
    );
    assert.ok(gas.jobStopDirect <= GAS_GOALS.jobStopDirect, `direct stop: ${gas.jobStopDirect}`);
    assert.ok(gas.containerAlone < gas.baselineNaiveContainer, "cheaper than the naive mint");
    // EIP-7825 caps a transaction at 2^24 gas: a batch of 250 must fit.
    assert.ok(
      gas.containerBatch100 * 250 + 100_000 < 16_777_216,
      "250 containers fit one transaction",
    );
  });
});
