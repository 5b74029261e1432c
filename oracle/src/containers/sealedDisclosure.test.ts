import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { pino } from "pino";
import {
  OpenSealedContainerError,
  containerDocumentSchema,
  generateAuditorKeyPair,
  openSealedContainer,
  parseCid,
  sealedContainerSchema,
} from "@energy-intelligence/sdk";
import { startAnchoringServices } from "../anchor/startAnchoringServices.ts";
import { testStream, waitFor } from "../anchor/testing/anchoringFixture.ts";
import { createInlineWriter } from "../ingest/inlineWriter.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { openStore } from "../store/openStore.ts";
import { TestDevice, TEST_SITE_ID } from "../testing/deviceFixture.ts";
import { containersConfigSchema } from "./containersConfigSchema.ts";

const PERIOD_MS = 10_000;

describe("sealed disclosure from the gateway config (SQLite, Helia on disk)", () => {
  it("seals each container document to the configured auditors: public part in the clear, readings only for them", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ei-sealed-"));
    const db = openStore({ dataDir });
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 10 * PERIOD_MS;
    const device = new TestDevice(0, { channelCount: 1, startMs });
    device.register(new DevicesRepository(db));
    const deviceRef = new DevicesRepository(db).get(device.deviceId)?.deviceRef ?? 0;
    const writer = createInlineWriter(db);
    const auditors = [generateAuditorKeyPair(), generateAuditorKeyPair()];
    const outsider = generateAuditorKeyPair();
    const services = await startAnchoringServices({
      db,
      dataDir,
      containers: containersConfigSchema.parse({
        periodMs: PERIOD_MS,
        graceMs: 1000,
        checkIntervalMs: 3_600_000,
        streams: [testStream(device)],
        disclosure: [
          {
            siteId: TEST_SITE_ID,
            mode: "sealed",
            auditorPublicKeys: auditors.map((auditor) => auditor.publicKey),
          },
        ],
      }),
      ipfs: { mode: "helia" },
      chain: undefined,
      oracleKey: undefined,
      logger: pino({ level: "silent" }),
    });
    try {
      await writer.write([
        { deviceRef, transport: "http", receivedAtMs: Date.now(), message: device.message(25) },
      ]);
      const created = services.closeNow(startMs + 3 * PERIOD_MS + PERIOD_MS / 2);
      assert.equal(created, 3);
      await waitFor(() => services.containers.countByState().stored === 3, "stored in IPFS");
      for (const row of services.containers.list({ limit: 10 })) {
        const bytes = await services.store.getBlock(parseCid(row.cid));
        assert.ok(bytes !== undefined);
        const sealed = sealedContainerSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
        assert.equal(sealed.format, "ei-sealed-container-v1");
        assert.deepEqual(
          sealed.sealed.recipients.map((recipient) => recipient.publicKey).sort(),
          auditors.map((auditor) => auditor.publicKey).sort(),
        );
        assert.equal("readings" in sealed.public, false, "the readings are not in the clear");
        const header = JSON.parse(row.header) as { merkleRoot: string; readingCount: number };
        for (const auditor of auditors) {
          const document = containerDocumentSchema.parse(
            JSON.parse(
              new TextDecoder().decode(
                openSealedContainer({ sealed, privateKey: auditor.privateKey }),
              ),
            ),
          );
          assert.equal(document.readings.length, header.readingCount);
          assert.equal(document.merkleRoot, header.merkleRoot);
        }
        assert.throws(
          () => openSealedContainer({ sealed, privateKey: outsider.privateKey }),
          OpenSealedContainerError,
        );
      }
    } finally {
      await services.close();
      await writer.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a bad disclosure config with the field's path", () => {
    const base = { streams: [] };
    for (const [disclosure, pathText] of [
      [[{ siteId: TEST_SITE_ID, mode: "sealed", auditorPublicKeys: [] }], "0.auditorPublicKeys"],
      [
        [{ siteId: TEST_SITE_ID, mode: "sealed", auditorPublicKeys: ["0x12"] }],
        "0.auditorPublicKeys.0",
      ],
      [
        [
          { siteId: TEST_SITE_ID, mode: "public" },
          { siteId: TEST_SITE_ID, mode: "sealed", auditorPublicKeys: [TEST_SITE_ID] },
        ],
        "1.siteId",
      ],
      [[{ siteId: TEST_SITE_ID, mode: "secret" }], "0.mode"],
    ] as const) {
      const result = containersConfigSchema.safeParse({ ...base, disclosure });
      assert.equal(result.success, false);
      assert.equal(result.error.issues[0]?.path.slice(1).join("."), pathText);
    }
  });
});
