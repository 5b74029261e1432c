import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import snmp from "net-snmp";
import type { Session, Varbind } from "net-snmp";
import {
  pollErrorToFrameError,
  ProtocolFrameError,
  snmpPduPollOids,
  snmpVarbindsToReadings,
} from "@energy-intelligence/sdk/protocols/index";
import type { SnmpPduProfile } from "@energy-intelligence/sdk/protocols/index";
import { startSnmpPduSimulator } from "./startSnmpPduSimulator.ts";
import type { SnmpPduSimulator } from "./startSnmpPduSimulator.ts";

/** What the SNMP adapter's poll does: walk each column subtree, classify failures. */
async function poll(session: Session, profile: SnmpPduProfile): Promise<Varbind[]> {
  const varbinds: Varbind[] = [];
  for (const oid of snmpPduPollOids(profile)) {
    await new Promise<void>((resolve, reject) => {
      session.subtree(
        oid,
        20,
        (batch) => {
          varbinds.push(...batch);
          return undefined;
        },
        (error) => {
          if (error === null) resolve();
          else reject(pollErrorToFrameError("snmp", error, oid) ?? error);
        },
      );
    });
  }
  return varbinds;
}

const v3User = { name: "ei-gateway", authKey: "auth-secret-1234", privKey: "priv-secret-5678" };

for (const profile of ["apc-rpdu2", "raritan-pdu2"] as const) {
  describe(`SNMP agent simulator (${profile}) polled with net-snmp`, () => {
    let clock = 1_700_000_000_000;
    let sim: SnmpPduSimulator;
    let session: Session;

    before(async () => {
      sim = await startSnmpPduSimulator({
        profile,
        outletWatts: [200, 1000],
        outletStartWattHours: [50_000, 120_000],
        community: "ei-read",
        v3User,
        now: () => clock,
      });
      session = snmp.createSession(sim.host, "ei-read", {
        port: sim.port,
        version: snmp.Version2c,
        timeout: 1000,
        retries: 0,
      });
    });
    after(async () => {
      session.close();
      await sim.close();
    });

    it("v2c: reads PDU total and outlet energy counters in the MIB's units", async () => {
      const first = snmpVarbindsToReadings(profile, await poll(session, profile), {
        deviceId: "pdu-1",
        timestampMs: clock,
      });
      assert.deepEqual(
        first.map((r) => [
          r.deviceId,
          r.channel,
          r.energyImportedMilliWattHours,
          r.powerMilliWatts,
        ]),
        [
          ["pdu-1", 0, 170_000_000n, 1_200_000],
          ["pdu-1", 1, 50_000_000n, 200_000],
          ["pdu-1", 2, 120_000_000n, 1_000_000],
        ],
      );
      assert.ok(first.every((r) => r.authentication === "polled" && r.quality === "measured"));
      clock += 3 * 3_600_000; // 3 h: outlet 1 +0.6 kWh, outlet 2 +3 kWh
      const later = snmpVarbindsToReadings(profile, await poll(session, profile), {
        deviceId: "pdu-1",
        timestampMs: clock,
      });
      assert.deepEqual(
        later.map((r) => r.energyImportedMilliWattHours),
        [173_600_000n, 50_600_000n, 123_000_000n],
      );
      if (profile === "raritan-pdu2") {
        assert.equal(later[0]?.voltageMilliVolts, 230_100); // 2301 with 1 decimal digit
        assert.equal(later[0].currentMilliAmperes, 5_215); // 5215 with 3 decimal digits
      }
    });

    it("v3 authPriv (SHA, AES): same readings through USM", async () => {
      const v3 = snmp.createV3Session(
        sim.host,
        {
          name: v3User.name,
          level: snmp.SecurityLevel.authPriv,
          authProtocol: snmp.AuthProtocols.sha,
          authKey: v3User.authKey,
          privProtocol: snmp.PrivProtocols.aes,
          privKey: v3User.privKey,
        },
        { port: sim.port, version: snmp.Version3, timeout: 1000, retries: 0 },
      );
      try {
        const readings = snmpVarbindsToReadings(profile, await poll(v3, profile), {
          deviceId: "pdu-1",
          timestampMs: clock,
        });
        assert.equal(readings.length, 3);
      } finally {
        v3.close();
      }
    });

    it("v3 with a wrong auth key: the agent reports usmStatsWrongDigests (auth-failed); a wrong privacy key is dropped (timeout)", async () => {
      const session = (keys: { authKey: string; privKey: string }, timeout: number): Session =>
        snmp.createV3Session(
          sim.host,
          {
            name: v3User.name,
            level: snmp.SecurityLevel.authPriv,
            authProtocol: snmp.AuthProtocols.sha,
            authKey: keys.authKey,
            privProtocol: snmp.PrivProtocols.aes,
            privKey: keys.privKey,
          },
          { port: sim.port, version: snmp.Version3, timeout, retries: 0 },
        );
      const wrongAuth = session({ ...v3User, authKey: "not-the-auth-key" }, 2000);
      const wrongPriv = session({ ...v3User, privKey: "not-the-priv-key" }, 200);
      try {
        await assert.rejects(
          poll(wrongAuth, profile),
          (error) =>
            error instanceof ProtocolFrameError &&
            error.reason === "auth-failed" &&
            error.message.includes("Wrong Digest"),
        );
        await assert.rejects(
          poll(wrongPriv, profile),
          (error) => error instanceof ProtocolFrameError && error.reason === "timeout",
        );
      } finally {
        wrongAuth.close();
        wrongPriv.close();
      }
    });

    it("a wrong community is never answered: the poll fails with reason timeout", async () => {
      const wrong = snmp.createSession(sim.host, "not-the-community", {
        port: sim.port,
        version: snmp.Version2c,
        timeout: 200,
        retries: 0,
      });
      try {
        await assert.rejects(
          poll(wrong, profile),
          (error) => error instanceof ProtocolFrameError && error.reason === "timeout",
        );
      } finally {
        wrong.close();
      }
    });
  });
}
