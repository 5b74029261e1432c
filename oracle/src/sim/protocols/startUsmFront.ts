import { type Socket, createSocket } from "node:dgram";
import {
  hasValidDigest,
  localizedAuthKey,
  readUsmRequestHeader,
  wrongDigestReport,
} from "./snmpUsmWrongDigestReport.ts";

export interface UsmFront {
  close(): Promise<void>;
}

const AUTH_FLAG = 0x01;

/**
 * A UDP front for the simulator's net-snmp agent on 127.0.0.1:`port`: a
 * request of `user` whose HMAC does not match its auth key is answered with
 * a usmStatsWrongDigests report (what a real agent sends, and net-snmp's
 * agent does not); every other datagram is relayed to the agent on
 * `agentPort`, through one relay socket per client so replies find their way
 * back.
 */
export async function startUsmFront(options: {
  port: number;
  agentPort: number;
  user: { name: string; hash: "sha1" | "sha256"; authKey: string };
}): Promise<UsmFront> {
  const front = createSocket("udp4");
  const relays = new Map<string, Socket>();
  let wrongDigests = 0;
  const relayFor = (address: string, port: number): Socket => {
    const key = `${address}:${port}`;
    let relay = relays.get(key);
    if (relay === undefined) {
      const created = createSocket("udp4");
      created.on("message", (reply) => {
        front.send(reply, port, address);
      });
      created.on("error", () => undefined);
      created.bind(0, "127.0.0.1");
      relays.set(key, created);
      relay = created;
    }
    return relay;
  };
  front.on("message", (message, client) => {
    const header = readUsmRequestHeader(message);
    if (
      header !== undefined &&
      (header.flags & AUTH_FLAG) !== 0 &&
      header.userName === options.user.name &&
      header.engineId.length > 0
    ) {
      const key = localizedAuthKey(options.user.hash, options.user.authKey, header.engineId);
      if (!hasValidDigest(message, header, options.user.hash, key)) {
        wrongDigests += 1;
        front.send(wrongDigestReport(header, wrongDigests), client.port, client.address);
        return;
      }
    }
    relayFor(client.address, client.port).send(message, options.agentPort, "127.0.0.1");
  });
  front.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.bind(options.port, "127.0.0.1", () => {
      front.off("error", reject);
      resolve();
    });
  });
  const closeSocket = (socket: Socket): Promise<void> =>
    new Promise((resolve) => {
      socket.close(() => {
        resolve();
      });
    });
  return {
    close: async () => {
      await Promise.all([...relays.values(), front].map(closeSocket));
      relays.clear();
    },
  };
}
