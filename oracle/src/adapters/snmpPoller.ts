import snmp from "net-snmp";
import type { Session, Varbind } from "net-snmp";
import {
  type ProtocolReading,
  type SnmpPduProfile,
  pollErrorToFrameError,
  snmpPduPollOids,
  snmpVarbindsToReadings,
} from "@energy-intelligence/sdk/protocols/index";
import { abortable } from "./abortable.ts";
import type { DevicePoller } from "./pollScheduler.ts";

export type SnmpCredentials =
  | { version: "v2c"; community: string }
  | {
      version: "v3";
      user: string;
      authProtocol: "sha" | "sha256";
      authKey: string;
      privProtocol: "aes" | "aes256b";
      privKey: string;
    };

function walk(session: Session, oid: string): Promise<Varbind[]> {
  return new Promise((resolve, reject) => {
    const varbinds: Varbind[] = [];
    session.subtree(
      oid,
      20,
      (batch) => {
        varbinds.push(...batch);
        return undefined;
      },
      (error) => {
        if (error === null) resolve(varbinds);
        else reject(pollErrorToFrameError("snmp", error, oid) ?? error);
      },
    );
  });
}

/**
 * Polls a PDU over SNMP v2c or v3 (authPriv): walks the profile's columns
 * and decodes them. net-snmp's own timeout is the poll's, without its own
 * retries (the scheduler retries with backoff). An agent that drops the
 * request (down, wrong community, wrong v3 keys: agents answer none of
 * these) is `timeout`. Readings of daisy-chained units or second inlets
 * (`<label>/unit-2`…) are left out: they are other devices, each needing
 * its own registration.
 */
export function createSnmpPoller(options: {
  host: string;
  port: number;
  profile: SnmpPduProfile;
  credentials: SnmpCredentials;
  timeoutMs: number;
  label: string;
}): DevicePoller {
  let session: Session | undefined;
  const open = (): Session => {
    if (session !== undefined) return session;
    const sessionOptions = {
      port: options.port,
      timeout: options.timeoutMs,
      retries: 0,
    };
    const credentials = options.credentials;
    session =
      credentials.version === "v2c"
        ? snmp.createSession(options.host, credentials.community, {
            ...sessionOptions,
            version: snmp.Version2c,
          })
        : snmp.createV3Session(
            options.host,
            {
              name: credentials.user,
              level: snmp.SecurityLevel.authPriv,
              authProtocol: snmp.AuthProtocols[credentials.authProtocol],
              authKey: credentials.authKey,
              privProtocol: snmp.PrivProtocols[credentials.privProtocol],
              privKey: credentials.privKey,
            },
            { ...sessionOptions, version: snmp.Version3 },
          );
    // A socket error must not crash the gateway; the next poll reopens.
    session.on("error", () => undefined);
    return session;
  };
  const reset = (): Promise<void> => {
    session?.close();
    session = undefined;
    return Promise.resolve();
  };
  return {
    async poll(signal) {
      const run = async (): Promise<ProtocolReading[]> => {
        const current = open();
        const varbinds: Varbind[] = [];
        for (const oid of snmpPduPollOids(options.profile))
          varbinds.push(...(await walk(current, oid)));
        return snmpVarbindsToReadings(options.profile, varbinds, {
          deviceId: options.label,
          timestampMs: Date.now(),
        }).filter((reading) => reading.deviceId === options.label);
      };
      return abortable(run(), signal);
    },
    reset,
    close: reset,
  };
}
