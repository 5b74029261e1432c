import { readFileSync } from "node:fs";
import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const storeOptions = z.object({ dataDir: z.string().min(1).default("data/gateway") });

async function openDevices(dataDir: string) {
  const { openStore } = await import("@energy-intelligence/oracle/store/openStore");
  const { DevicesRepository } = await import("@energy-intelligence/oracle/store/devicesRepository");
  const db = openStore({ dataDir });
  return { db, devices: new DevicesRepository(db) };
}

const addOptions = storeOptions.extend({
  id: z.string(),
  site: z.string(),
  machine: z.string(),
  kind: z.string().default("ct-clamp"),
  scheme: z
    .enum(["ed25519", "hmac-sha256", "network-server", "polled", "serial"])
    .default("ed25519"),
  publicKey: z.string().optional(),
  generateKey: z.boolean().optional(),
  hmacSecretFile: z.string().optional(),
  channels: z.coerce.number().int().min(1).default(1),
});

const addCommand: CliCommand = {
  name: "add",
  description: "register a device in the gateway store (key, kind, site, machine, channel count)",
  configure: (command) => {
    command
      .requiredOption("--id <bytes32>", "device id, 0x + 64 lowercase hex")
      .requiredOption("--site <bytes32>", "site id, 0x + 64 lowercase hex")
      .requiredOption("--machine <bytes32>", "machine id, 0x + 64 lowercase hex")
      .option("--kind <slug>", "ct-clamp, meter, pdu, inverter, … (default ct-clamp)")
      .option("--scheme <scheme>", "ed25519 (default), hmac-sha256, network-server, polled, serial")
      .option("--public-key <hex>", "the device's Ed25519 public key (0x + 64 hex)")
      .option(
        "--generate-key",
        "make an Ed25519 key pair; prints the secret key once, for the device",
      )
      .option(
        "--hmac-secret-file <file>",
        "file holding the HMAC secret (0x hex; never on the command line)",
      )
      .option("--channels <n>", "channel count (default 1)")
      .option("--data-dir <dir>", "the gateway's data directory (default data/gateway)")
      .addHelpText(
        "after",
        "\nOn-chain registration (DeviceRegistry) is done by the anchoring service through the" +
          "\nDeviceRegistryChain seam; this command registers the device with the gateway." +
          '\nWith --json: the device record (no secret), plus "secretKey" with --generate-key.',
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(addOptions, rawOptions);
    let publicKey = options.publicKey;
    let secretKey: string | undefined;
    if (options.generateKey === true) {
      const { generateDeviceKey } = await import("@energy-intelligence/sdk/device/index");
      const key = generateDeviceKey();
      publicKey = key.publicKey;
      secretKey = key.secretKey;
    }
    const hmacSecret =
      options.hmacSecretFile === undefined
        ? undefined
        : readFileSync(options.hmacSecretFile, "utf8").trim();
    const { db, devices } = await openDevices(options.dataDir);
    try {
      const record = devices.add({
        deviceId: options.id,
        siteId: options.site,
        machineId: options.machine,
        kind: options.kind,
        authScheme: options.scheme,
        publicKey,
        hmacSecret,
        channelCount: options.channels,
      });
      const { hmacSecret: _secret, ...shown } = record;
      context.print(
        secretKey === undefined ? shown : { ...shown, secretKey },
        `added ${record.deviceId} (${record.kind}, ${record.authScheme}, ${record.channelCount} channel(s))` +
          (secretKey === undefined
            ? ""
            : `\nsecret key (store it on the device, it is not kept): ${secretKey}`),
      );
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};

const listCommand: CliCommand = {
  name: "list",
  description: "list the devices registered in the gateway store",
  configure: (command) => {
    command.option("--data-dir <dir>", "the gateway's data directory (default data/gateway)");
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(storeOptions, rawOptions);
    const { db, devices } = await openDevices(options.dataDir);
    try {
      const records = devices.list().map(({ hmacSecret: _secret, ...shown }) => shown);
      context.print(
        { devices: records },
        records.length === 0
          ? "no devices"
          : records
              .map(
                (d) =>
                  `${d.deviceId}  ${d.status.padEnd(7)}  ${d.kind.padEnd(16)}  ${d.authScheme.padEnd(14)}  ${d.channelCount} ch`,
              )
              .join("\n"),
      );
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};

const revokeCommand: CliCommand = {
  name: "revoke",
  description: "revoke a device: the gateway refuses its messages from now on (what it sent stays)",
  configure: (command) => {
    command
      .argument("<deviceId>", "the device id (0x + 64 hex)")
      .option("--data-dir <dir>", "the gateway's data directory (default data/gateway)");
  },
  action: async (context, args, rawOptions) => {
    const [deviceId] = z.tuple([z.string()]).parse(args);
    const options = parseCliOptions(storeOptions, rawOptions);
    const { db, devices } = await openDevices(options.dataDir);
    try {
      const record = devices.revoke(deviceId);
      const { hmacSecret: _secret, ...shown } = record;
      context.print(shown, `revoked ${record.deviceId}`);
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};

/** `ei device add|list|revoke`. */
export const deviceCommand: CliCommand = {
  name: "device",
  description: "register, list and revoke devices in the gateway store",
  subcommands: [addCommand, listCommand, revokeCommand],
};
