import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { InvalidInputError } from "@energy-intelligence/sdk";
import { pino } from "pino";
import { OracleKey } from "./loadOracleKey.ts";
import { loadGatewayConfig } from "./loadGatewayConfig.ts";
import { startLotServices } from "../lots/startLotServices.ts";
import type { ContentStore } from "../ipfs/contentStore.ts";
import { HARDHAT_ORACLE_KEY } from "../chain/testing/deployTestContracts.ts";

const directory = mkdtempSync(path.join(tmpdir(), "ei-lots-config-"));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

const refusal = (overrides: Record<string, unknown>): InvalidInputError => {
  try {
    loadGatewayConfig({ overrides });
  } catch (error) {
    assert.ok(error instanceof InvalidInputError);
    return error;
  }
  assert.fail("expected the configuration to be refused");
};

describe("gateway config: lots and pact sections", () => {
  it("are off by default, with the documented defaults", () => {
    const config = loadGatewayConfig();
    assert.equal(config.lots.enabled, false);
    assert.equal(config.lots.autoMint, true);
    assert.deepEqual(config.lots.rules, {
      overlap: "equal",
      idle: "machine-hours",
      overhead: "energy",
    });
    assert.equal(config.lots.siteIds, undefined);
    assert.equal(config.pact.enabled, false);
    assert.equal(config.pact.tokenLifetimeMs, 3_600_000);
    assert.equal(config.pact.maxPageSize, 100);
    assert.equal(config.pact.electricityMethod, "market");
  });

  it("accepts a full section and lowercases site ids", () => {
    const site = `0x${"AB".repeat(32)}`;
    const config = loadGatewayConfig({
      overrides: {
        lots: { enabled: true, siteIds: [site], rules: { overlap: "units", idle: "none" } },
        pact: {
          enabled: true,
          publicUrl: "https://gateway.example.com",
          verifyUrl: "https://dapp.example.com/lots/{lotId}",
          company: { name: "Example Works", ids: ["urn:example:company:1"] },
          geographyCountry: "DE",
        },
      },
    });
    assert.deepEqual(config.lots.siteIds, [site.toLowerCase()]);
    assert.deepEqual(config.lots.rules, { overlap: "units", idle: "none", overhead: "energy" });
    assert.equal(config.pact.verifyUrl, "https://dapp.example.com/lots/{lotId}");
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["a site id that is not 32 bytes", { lots: { siteIds: ["0x1234"] } }, "config.lots.siteIds.0"],
    ["an unknown rule", { lots: { rules: { overlap: "half" } } }, "config.lots.rules.overlap"],
    ["an unknown key", { lots: { enable: true } }, "config.lots"],
    [
      "a verify URL without {lotId} or {id}",
      { pact: { verifyUrl: "https://dapp.example.com/lots" } },
      "config.pact.verifyUrl",
    ],
    [
      "a company id that is not a URN",
      { pact: { company: { name: "X", ids: ["example-1"] } } },
      "config.pact.company.ids.0",
    ],
    [
      "a country that is not ISO alpha-2",
      { pact: { geographyCountry: "DEU" } },
      "config.pact.geographyCountry",
    ],
    [
      "a token lifetime under a minute",
      { pact: { tokenLifetimeMs: 1000 } },
      "config.pact.tokenLifetimeMs",
    ],
  ];
  for (const [label, overrides, field] of bad) {
    it(`refuses ${label}, naming ${field}`, () => {
      const error = refusal(overrides);
      assert.match(error.message, new RegExp(field.replaceAll(".", "\\."), "u"));
    });
  }

  it("startLotServices refuses a deployments file without ProductLots, naming the file", async () => {
    const file = path.join(directory, "31337.json");
    writeFileSync(
      file,
      JSON.stringify({
        EnergyRegistry: { address: `0x${"11".repeat(20)}`, startBlock: 1 },
        JobStamps: { address: `0x${"22".repeat(20)}`, startBlock: 2 },
      }),
    );
    const config = loadGatewayConfig({
      overrides: {
        lots: { enabled: true, siteIds: [`0x${"ab".repeat(32)}`] },
        chain: { rpcUrl: "http://127.0.0.1:1", deploymentsFile: file },
      },
    });
    await assert.rejects(
      startLotServices({
        db: undefined as never,
        lots: config.lots,
        chain: config.chain,
        streams: [],
        store: undefined as unknown as ContentStore,
        oracleKey: new OracleKey(HARDHAT_ORACLE_KEY, "env"),
        logger: pino({ level: "silent" }),
      }),
      (error: unknown) =>
        error instanceof InvalidInputError &&
        error.message.includes("chain.deploymentsFile") &&
        error.message.includes("ProductLots"),
    );
  });

  it("startLotServices stays off (undefined) when lots are not enabled or no key is set", async () => {
    const config = loadGatewayConfig({
      overrides: {
        chain: { rpcUrl: "http://127.0.0.1:1", containersAddress: `0x${"33".repeat(20)}` },
      },
    });
    const common = {
      db: undefined as never,
      chain: config.chain,
      streams: [],
      store: undefined as unknown as ContentStore,
      logger: pino({ level: "silent" }),
    };
    assert.equal(
      await startLotServices({
        ...common,
        lots: config.lots,
        oracleKey: new OracleKey(HARDHAT_ORACLE_KEY, "env"),
      }),
      undefined,
    );
    assert.equal(
      await startLotServices({
        ...common,
        lots: { ...config.lots, enabled: true },
        oracleKey: undefined,
      }),
      undefined,
    );
  });
});
