import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidInputError } from "../errors/index.ts";
import { DEPLOYED_CONTRACT_NAMES } from "./deploymentsSchema.ts";
import { parseDeployments } from "./parseDeployments.ts";

const valid = Object.fromEntries(
  DEPLOYED_CONTRACT_NAMES.map((name, i) => [
    name,
    { address: `0x${String(i + 1).padStart(40, "0")}`, startBlock: i + 1 },
  ]),
);

function rejects(input: unknown, path: string) {
  assert.throws(
    () => parseDeployments(input),
    (error: unknown) => error instanceof InvalidInputError && error.path === path,
  );
}

describe("parseDeployments", () => {
  it("returns a valid file typed, extra contracts included", () => {
    const parsed = parseDeployments({
      ...valid,
      FunctionsConsumer: { address: `0x${"a".repeat(40)}`, startBlock: 9 },
    });
    assert.equal(parsed.DataContainers.startBlock, 2);
    assert.equal(parsed.FunctionsConsumer?.startBlock, 9);
  });
  it("names a missing contract", () => {
    const { JobStamps: _dropped, ...rest } = valid;
    rejects(rest, "JobStamps");
  });
  it("names a bad address, a negative or fractional block, and an unknown field", () => {
    rejects({ ...valid, ProductLots: { address: "0x1234", startBlock: 1 } }, "ProductLots.address");
    rejects(
      { ...valid, EnergyRegistry: { address: `0x${"1".repeat(40)}`, startBlock: -1 } },
      "EnergyRegistry.startBlock",
    );
    rejects(
      { ...valid, EnergyRegistry: { address: `0x${"1".repeat(40)}`, startBlock: 1.5 } },
      "EnergyRegistry.startBlock",
    );
    rejects(
      { ...valid, AuditAttestations: { address: `0x${"1".repeat(40)}`, startBlock: 1, abi: [] } },
      "AuditAttestations",
    );
  });
  describe("with a required subset", () => {
    it("accepts a file holding only the contracts asked for", () => {
      const parsed = parseDeployments(
        { DataContainers: valid.DataContainers },
        { require: ["DataContainers"] },
      );
      assert.equal(parsed.DataContainers.startBlock, 2);
      assert.equal(parsed.EnergyRegistry, undefined);
    });
    it("names the missing one of the subset", () => {
      assert.throws(
        () =>
          parseDeployments(
            { DataContainers: valid.DataContainers },
            { require: ["DataContainers", "EnergyRegistry"] },
          ),
        (error: unknown) =>
          error instanceof InvalidInputError &&
          error.path === "EnergyRegistry" &&
          error.message.includes("no EnergyRegistry entry"),
      );
    });
    it("still checks the entries it does not require", () => {
      assert.throws(
        () =>
          parseDeployments(
            { ...valid, JobStamps: { address: "0x12", startBlock: 1 } },
            { require: ["DataContainers"] },
          ),
        (error: unknown) =>
          error instanceof InvalidInputError && error.path === "JobStamps.address",
      );
    });
  });
  it("rejects what is not an object", () => {
    rejects(null, "deployments");
    rejects([], "deployments");
  });
});
