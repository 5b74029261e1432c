import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { zeroAddress } from "viem";
import {
  DEVICE_ID,
  MACHINE_ID,
  OTHER_SITE_ID,
  PRODUCT_ID,
  SITE_ID,
  deployAll,
  id,
} from "./fixture.ts";

const { viem, networkHelpers } = await network.create();
async function fixture() {
  return deployAll(viem);
}
const product = {
  sku: "BRK-B",
  name: "Bracket B",
  cpcCode: "42999",
  declaredUnit: 2,
  unitaryProductAmountMicros: 1_000_000n,
  massPerDeclaredUnitMilligrams: 1_000_000n,
};

describe("EnergyRegistry", () => {
  describe("constructor", () => {
    it("gives the admin DEFAULT_ADMIN_ROLE", async () => {
      const { registry, admin } = await networkHelpers.loadFixture(fixture);
      assert.equal(
        await registry.read.hasRole([`0x${"00".repeat(32)}`, admin.account.address]),
        true,
      );
    });
    it("reverts on a zero admin", async () => {
      await assert.rejects(
        viem.deployContract("EnergyRegistry", [zeroAddress]),
        /Registry_ZeroAddress/,
      );
    });
  });

  describe("registerSite", () => {
    it("records the owner, grants the manager and emits SiteRegistered", async () => {
      const { registry, owner, manager } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.emitWithArgs(
        registry.write.registerSite([
          OTHER_SITE_ID,
          owner.account.address,
          manager.account.address,
          "Lyon 2",
        ]),
        registry,
        "SiteRegistered",
        [OTHER_SITE_ID, owner.account.address, manager.account.address, "Lyon 2"],
      );
      assert.equal(
        (await registry.read.siteOwner([OTHER_SITE_ID])).toLowerCase(),
        owner.account.address.toLowerCase(),
      );
      const managerRole = await registry.read.siteRole([
        await registry.read.SITE_MANAGER_ROLE(),
        OTHER_SITE_ID,
      ]);
      assert.equal(await registry.read.hasRole([managerRole, manager.account.address]), true);
    });
    it("reverts for a non-admin", async () => {
      const { registry, stranger } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomError(
        registry.write.registerSite(
          [OTHER_SITE_ID, stranger.account.address, stranger.account.address, ""],
          {
            account: stranger.account,
          },
        ),
        registry,
        "AccessControlUnauthorizedAccount",
      );
    });
    it("reverts on a zero id", async () => {
      const { registry, owner } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomError(
        registry.write.registerSite([
          `0x${"00".repeat(32)}`,
          owner.account.address,
          owner.account.address,
          "",
        ]),
        registry,
        "Registry_ZeroId",
      );
    });
    it("reverts on a zero owner or manager", async () => {
      const { registry, owner } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomError(
        registry.write.registerSite([OTHER_SITE_ID, zeroAddress, owner.account.address, ""]),
        registry,
        "Registry_ZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        registry.write.registerSite([OTHER_SITE_ID, owner.account.address, zeroAddress, ""]),
        registry,
        "Registry_ZeroAddress",
      );
    });
    it("reverts when the site exists", async () => {
      const { registry, owner } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.registerSite([SITE_ID, owner.account.address, owner.account.address, ""]),
        registry,
        "Registry_SiteExists",
        [SITE_ID],
      );
    });
  });

  describe("setSiteOwner", () => {
    it("changes the owner and emits SiteOwnerChanged", async () => {
      const { registry, manager, owner, stranger } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.emitWithArgs(
        registry.write.setSiteOwner([SITE_ID, stranger.account.address], {
          account: manager.account,
        }),
        registry,
        "SiteOwnerChanged",
        [SITE_ID, owner.account.address, stranger.account.address],
      );
    });
    it("reverts for a non-manager, an unknown site and a zero owner", async () => {
      const { registry, manager, stranger } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.setSiteOwner([SITE_ID, stranger.account.address], {
          account: stranger.account,
        }),
        registry,
        "Registry_NotSiteManager",
        [SITE_ID, stranger.account.address],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.setSiteOwner([OTHER_SITE_ID, stranger.account.address], {
          account: manager.account,
        }),
        registry,
        "Registry_UnknownSite",
        [OTHER_SITE_ID],
      );
      await viem.assertions.revertWithCustomError(
        registry.write.setSiteOwner([SITE_ID, zeroAddress], { account: manager.account }),
        registry,
        "Registry_ZeroAddress",
      );
    });
  });

  describe("registerMachine", () => {
    it("records the machine's site", async () => {
      const { registry, manager } = await networkHelpers.loadFixture(fixture);
      const machineId = id("machine:new");
      await viem.assertions.emitWithArgs(
        registry.write.registerMachine([SITE_ID, machineId, "New"], { account: manager.account }),
        registry,
        "MachineRegistered",
        [SITE_ID, machineId, "New"],
      );
      assert.equal(await registry.read.machineSite([machineId]), SITE_ID);
    });
    it("reverts on a zero id, an existing machine and a non-manager", async () => {
      const { registry, manager, stranger } = await networkHelpers.loadFixture(fixture);
      const asManager = { account: manager.account };
      await viem.assertions.revertWithCustomError(
        registry.write.registerMachine([SITE_ID, `0x${"00".repeat(32)}`, ""], asManager),
        registry,
        "Registry_ZeroId",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.registerMachine([SITE_ID, MACHINE_ID, ""], asManager),
        registry,
        "Registry_MachineExists",
        [MACHINE_ID],
      );
      await viem.assertions.revertWithCustomError(
        registry.write.registerMachine([SITE_ID, id("m"), ""], { account: stranger.account }),
        registry,
        "Registry_NotSiteManager",
      );
    });
  });

  describe("registerDevice", () => {
    it("records the device and its first key term", async () => {
      const { registry, publicClient } = await networkHelpers.loadFixture(fixture);
      const device = await registry.read.device([DEVICE_ID]);
      assert.deepEqual(device, { siteId: SITE_ID, machineId: MACHINE_ID, kind: 1 });
      const terms = await registry.read.deviceKeyTerms([DEVICE_ID]);
      assert.deepEqual(
        terms.map((t) => [t.keyHash, t.untilBlock]),
        [[id("key:1"), 2n ** 64n - 1n]],
      );
      const block = await publicClient.getBlockNumber();
      assert.equal(await registry.read.wasDeviceKeyAt([DEVICE_ID, id("key:1"), block]), true);
      assert.equal(await registry.read.wasDeviceKeyAt([DEVICE_ID, id("key:other"), block]), false);
    });
    it("accepts a site-level device (machine zero)", async () => {
      const { registry, manager } = await networkHelpers.loadFixture(fixture);
      const deviceId = id("device:main-meter");
      await registry.write.registerDevice([SITE_ID, deviceId, `0x${"00".repeat(32)}`, 2, id("k")], {
        account: manager.account,
      });
      assert.equal((await registry.read.device([deviceId])).kind, 2);
    });
    it("reverts on each bad field", async () => {
      const { registry, manager } = await networkHelpers.loadFixture(fixture);
      const asManager = { account: manager.account };
      const zero = `0x${"00".repeat(32)}` as const;
      await viem.assertions.revertWithCustomError(
        registry.write.registerDevice([SITE_ID, zero, MACHINE_ID, 1, id("k")], asManager),
        registry,
        "Registry_ZeroId",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.registerDevice([SITE_ID, DEVICE_ID, MACHINE_ID, 1, id("k")], asManager),
        registry,
        "Registry_DeviceExists",
        [DEVICE_ID],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.registerDevice(
          [SITE_ID, id("d"), id("machine:nowhere"), 1, id("k")],
          asManager,
        ),
        registry,
        "Registry_UnknownMachine",
        [SITE_ID, id("machine:nowhere")],
      );
      for (const kind of [0, 8]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          registry.write.registerDevice([SITE_ID, id("d"), MACHINE_ID, kind, id("k")], asManager),
          registry,
          "Registry_InvalidDeviceKind",
          [kind],
        );
      }
      await viem.assertions.revertWithCustomError(
        registry.write.registerDevice([SITE_ID, id("d"), MACHINE_ID, 1, zero], asManager),
        registry,
        "Registry_ZeroKeyHash",
      );
    });
  });

  describe("rotateDeviceKey and revokeDeviceKey", () => {
    it("closes the old key at the rotation block and keeps it valid before", async () => {
      const { registry, manager, publicClient } = await networkHelpers.loadFixture(fixture);
      const before = await publicClient.getBlockNumber();
      const hash = await registry.write.rotateDeviceKey([DEVICE_ID, id("key:2")], {
        account: manager.account,
      });
      const { blockNumber } = await publicClient.waitForTransactionReceipt({ hash });
      assert.equal(await registry.read.wasDeviceKeyAt([DEVICE_ID, id("key:1"), before]), true);
      assert.equal(
        await registry.read.wasDeviceKeyAt([DEVICE_ID, id("key:1"), blockNumber]),
        false,
      );
      assert.equal(await registry.read.wasDeviceKeyAt([DEVICE_ID, id("key:2"), blockNumber]), true);
      await viem.assertions.emitWithArgs(
        registry.write.revokeDeviceKey([DEVICE_ID], { account: manager.account }),
        registry,
        "DeviceKeyRevoked",
        [DEVICE_ID, id("key:2"), blockNumber + 1n],
      );
      assert.equal((await registry.read.deviceKeyTerms([DEVICE_ID])).length, 2);
    });
    it("emits DeviceKeyRevoked then DeviceKeyActivated on rotation", async () => {
      const { registry, manager } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.emit(
        registry.write.rotateDeviceKey([DEVICE_ID, id("key:2")], { account: manager.account }),
        registry,
        "DeviceKeyActivated",
      );
    });
    it("reverts on an unknown device, a non-manager, a zero key and a second revoke", async () => {
      const { registry, manager, stranger } = await networkHelpers.loadFixture(fixture);
      const asManager = { account: manager.account };
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.rotateDeviceKey([id("device:none"), id("k")], asManager),
        registry,
        "Registry_UnknownDevice",
        [id("device:none")],
      );
      await viem.assertions.revertWithCustomError(
        registry.write.revokeDeviceKey([DEVICE_ID], { account: stranger.account }),
        registry,
        "Registry_NotSiteManager",
      );
      await viem.assertions.revertWithCustomError(
        registry.write.rotateDeviceKey([DEVICE_ID, `0x${"00".repeat(32)}`], asManager),
        registry,
        "Registry_ZeroKeyHash",
      );
      await registry.write.revokeDeviceKey([DEVICE_ID], asManager);
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.revokeDeviceKey([DEVICE_ID], asManager),
        registry,
        "Registry_NoActiveKey",
        [DEVICE_ID],
      );
    });
  });

  describe("registerProduct", () => {
    it("stores the product and emits every PACT field", async () => {
      const { registry, manager } = await networkHelpers.loadFixture(fixture);
      const productId = id("product:b");
      await viem.assertions.emitWithArgs(
        registry.write.registerProduct([SITE_ID, productId, product], { account: manager.account }),
        registry,
        "ProductRegistered",
        [SITE_ID, productId, "BRK-B", "Bracket B", "42999", 2, 1_000_000n, 1_000_000n],
      );
      assert.deepEqual(await registry.read.product([productId]), {
        siteId: SITE_ID,
        declaredUnit: 2,
        unitaryProductAmountMicros: 1_000_000n,
        massPerDeclaredUnitMilligrams: 1_000_000n,
      });
    });
    it("reverts on each bad field", async () => {
      const { registry, manager } = await networkHelpers.loadFixture(fixture);
      const asManager = { account: manager.account };
      await viem.assertions.revertWithCustomError(
        registry.write.registerProduct([SITE_ID, `0x${"00".repeat(32)}`, product], asManager),
        registry,
        "Registry_ZeroId",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.registerProduct([SITE_ID, PRODUCT_ID, product], asManager),
        registry,
        "Registry_ProductExists",
        [PRODUCT_ID],
      );
      await viem.assertions.revertWithCustomError(
        registry.write.registerProduct([SITE_ID, id("p"), { ...product, sku: "" }], asManager),
        registry,
        "Registry_EmptySku",
      );
      for (const declaredUnit of [0, 8]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          registry.write.registerProduct(
            [SITE_ID, id("p"), { ...product, declaredUnit }],
            asManager,
          ),
          registry,
          "Registry_InvalidDeclaredUnit",
          [declaredUnit],
        );
      }
    });
  });

  describe("oracles", () => {
    it("records a term on grant and closes it on revoke; wasOracleAt answers per block", async () => {
      const { registry, manager, oracle, oracleRole, publicClient } =
        await networkHelpers.loadFixture(fixture);
      const granted = (await registry.read.oracleTerms([SITE_ID, oracle.account.address]))[0];
      assert.ok(granted);
      const hash = await registry.write.revokeRole([oracleRole, oracle.account.address], {
        account: manager.account,
      });
      const { blockNumber } = await publicClient.waitForTransactionReceipt({ hash });
      assert.equal(await registry.read.isOracle([SITE_ID, oracle.account.address]), false);
      assert.equal(
        await registry.read.wasOracleAt([SITE_ID, oracle.account.address, blockNumber - 1n]),
        true,
      );
      assert.equal(
        await registry.read.wasOracleAt([SITE_ID, oracle.account.address, blockNumber]),
        false,
      );
      assert.equal(
        await registry.read.wasOracleAt([SITE_ID, oracle.account.address, granted.fromBlock - 1n]),
        false,
      );
      assert.equal(
        await registry.read.wasOracleAt([OTHER_SITE_ID, oracle.account.address, blockNumber - 1n]),
        false,
      );
    });
    it("emits OracleAuthorized and OracleDeauthorized on rotation", async () => {
      const { registry, manager, oracle, stranger } = await networkHelpers.loadFixture(fixture);
      const tx = registry.write.rotateOracle(
        [SITE_ID, oracle.account.address, stranger.account.address],
        {
          account: manager.account,
        },
      );
      await viem.assertions.emit(tx, registry, "OracleDeauthorized");
      assert.equal(await registry.read.isOracle([SITE_ID, stranger.account.address]), true);
      assert.equal(await registry.read.isOracle([SITE_ID, oracle.account.address]), false);
    });
    it("closes the term when an oracle renounces", async () => {
      const { registry, oracle, oracleRole } = await networkHelpers.loadFixture(fixture);
      await viem.assertions.emit(
        registry.write.renounceRole([oracleRole, oracle.account.address], {
          account: oracle.account,
        }),
        registry,
        "OracleDeauthorized",
      );
    });
    it("rotateOracle reverts for a non-oracle, a zero new oracle and a non-manager", async () => {
      const { registry, manager, oracle, stranger } = await networkHelpers.loadFixture(fixture);
      const asManager = { account: manager.account };
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.rotateOracle(
          [SITE_ID, stranger.account.address, oracle.account.address],
          asManager,
        ),
        registry,
        "Registry_NotOracle",
        [SITE_ID, stranger.account.address],
      );
      await viem.assertions.revertWithCustomError(
        registry.write.rotateOracle([SITE_ID, oracle.account.address, zeroAddress], asManager),
        registry,
        "Registry_ZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        registry.write.rotateOracle([SITE_ID, oracle.account.address, stranger.account.address], {
          account: stranger.account,
        }),
        registry,
        "Registry_NotSiteManager",
      );
    });
  });

  describe("role escalation", () => {
    it("a site manager cannot grant roles of another site, the auditor role or admin", async () => {
      const { registry, manager, owner } = await networkHelpers.loadFixture(fixture);
      await registry.write.registerSite([
        OTHER_SITE_ID,
        owner.account.address,
        owner.account.address,
        "",
      ]);
      const otherOracle = await registry.read.siteRole([
        await registry.read.ORACLE_ROLE(),
        OTHER_SITE_ID,
      ]);
      for (const role of [
        otherOracle,
        await registry.read.AUDITOR_ROLE(),
        `0x${"00".repeat(32)}` as const,
      ]) {
        await viem.assertions.revertWithCustomError(
          registry.write.grantRole([role, manager.account.address], { account: manager.account }),
          registry,
          "AccessControlUnauthorizedAccount",
        );
      }
    });
    it("an operator or oracle cannot grant its own role", async () => {
      const { registry, oracle, oracleRole, operator, operatorRole, stranger } =
        await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomError(
        registry.write.grantRole([oracleRole, stranger.account.address], {
          account: oracle.account,
        }),
        registry,
        "AccessControlUnauthorizedAccount",
      );
      await viem.assertions.revertWithCustomError(
        registry.write.grantRole([operatorRole, stranger.account.address], {
          account: operator.account,
        }),
        registry,
        "AccessControlUnauthorizedAccount",
      );
    });
    it("siteRole separates sites and bases", async () => {
      const { registry } = await networkHelpers.loadFixture(fixture);
      const base = await registry.read.OPERATOR_ROLE();
      assert.notEqual(
        await registry.read.siteRole([base, SITE_ID]),
        await registry.read.siteRole([base, OTHER_SITE_ID]),
      );
      assert.equal(await registry.read.isOperator([OTHER_SITE_ID, zeroAddress]), false);
    });
  });
});
