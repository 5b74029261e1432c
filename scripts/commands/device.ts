import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { openGatewayStore } from "../cli/openGatewayStore.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const storeOptions = z.object({ dataDir: z.string().min(1).default("data/gateway") });

const chainOptions = storeOptions.extend({
  rpc: z.url().optional(),
  deployments: z.string().min(1).optional(),
  managerKeyFile: z.string().min(1).optional(),
  gatewayOnly: z.boolean().optional(),
});

const MANAGER_KEY = /^0x[0-9a-fA-F]{64}$/u;

/**
 * The on-chain half of `ei device add|revoke`: EnergyRegistry from the
 * deployments file, the site manager's key from --manager-key-file or
 * EI_MANAGER_KEY (never from the command line, where `ps` shows it).
 */
async function openRegistryChain(options: z.output<typeof chainOptions>) {
  if (options.rpc === undefined) {
    throw new CliUsageError(
      "--rpc is required: a device is registered on chain (EnergyRegistry) and in the gateway",
      "Pass --rpc <url> (with --deployments and --manager-key-file), or --gateway-only to register it in this gateway alone.",
    );
  }
  const keyText =
    process.env.EI_MANAGER_KEY ??
    (options.managerKeyFile === undefined
      ? undefined
      : readFileSync(options.managerKeyFile, "utf8").trim());
  if (keyText === undefined) {
    throw new CliUsageError(
      "no site manager key: EnergyRegistry lets only a site's manager register its devices",
      "Pass --manager-key-file <file> (0x + 64 hex) or set EI_MANAGER_KEY.",
    );
  }
  if (!MANAGER_KEY.test(keyText)) {
    throw new CliUsageError(
      `${options.managerKeyFile ?? "EI_MANAGER_KEY"}: the manager key must be 0x and 64 hex digits`,
      "Check the key file's contents.",
    );
  }
  const { createPublicClient, http } = await import("viem");
  const chainId = await createPublicClient({ transport: http(options.rpc) }).getChainId();
  const file = options.deployments ?? `deployments/${chainId}.json`;
  const { loadDeploymentsFile } =
    await import("@energy-intelligence/oracle/chain/loadDeploymentsFile");
  const { EnergyRegistry } = loadDeploymentsFile(file, ["EnergyRegistry"], "--deployments");
  const { createDeviceRegistryChain } =
    await import("@energy-intelligence/oracle/chain/createDeviceRegistryChain");
  return createDeviceRegistryChain({
    rpcUrl: options.rpc,
    registryAddress: EnergyRegistry.address,
    managerKey: keyText as `0x${string}`,
  });
}

async function openDevices(dataDir: string) {
  const { DevicesRepository } = await import("@energy-intelligence/oracle/store/devicesRepository");
  const db = await openGatewayStore(dataDir);
  return { db, devices: new DevicesRepository(db) };
}

const addOptions = chainOptions.extend({
  id: z.string(),
  site: z.string(),
  machine: z.string(),
  kind: z.string().default("ct-clamp"),
  scheme: z
    .enum(["ed25519", "secp256k1", "hmac-sha256", "network-server", "polled", "serial"])
    .default("ed25519"),
  publicKey: z.string().optional(),
  generateKey: z.boolean().optional(),
  hmacSecretFile: z.string().optional(),
  channels: z.coerce.number().int().min(1).default(1),
});

const addCommand: CliCommand = {
  name: "add",
  description:
    "register a device on chain (EnergyRegistry) and in the gateway store (key, kind, site, machine, channels)",
  configure: (command) => {
    command
      .requiredOption("--id <bytes32>", "device id, 0x + 64 lowercase hex")
      .requiredOption("--site <bytes32>", "site id, 0x + 64 lowercase hex")
      .requiredOption("--machine <bytes32>", "machine id, 0x + 64 lowercase hex")
      .option("--kind <slug>", "ct-clamp, meter, pdu, inverter, … (default ct-clamp)")
      .option(
        "--scheme <scheme>",
        "ed25519 (default), secp256k1, hmac-sha256, network-server, polled, serial",
      )
      .option(
        "--public-key <hex>",
        "the device's public key: Ed25519 (0x + 64 hex) or compressed secp256k1 (0x02/0x03 + 64 hex)",
      )
      .option(
        "--generate-key",
        "make a key pair for --scheme (ed25519 or secp256k1); prints the secret key once, for the device",
      )
      .option(
        "--hmac-secret-file <file>",
        "file holding the HMAC secret (0x hex; never on the command line)",
      )
      .option("--channels <n>", "channel count (default 1)")
      .option("--data-dir <dir>", "the gateway's data directory (default data/gateway)");
    chainFlags(command);
    command.addHelpText(
      "after",
      "\nThe device is checked against both first (unknown site, missing manager role, a device id" +
        "\ntaken on chain or in the gateway, a machine not at the site: exit 2, nothing changed)," +
        "\nthen registered on chain (registerDevice, with the key hash) and in the gateway store." +
        '\nWith --json: the device record (no secret) and "txHash", plus "secretKey" with --generate-key.',
    );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(addOptions, rawOptions);
    let publicKey = options.publicKey;
    let secretKey: string | undefined;
    if (options.generateKey === true) {
      const { generateDeviceKey, generateSecp256k1DeviceKey } =
        await import("@energy-intelligence/sdk/device/index");
      if (options.scheme !== "ed25519" && options.scheme !== "secp256k1") {
        throw new CliUsageError(
          `--generate-key makes ed25519 or secp256k1 keys, not ${options.scheme}`,
          "Drop --generate-key, or pass --scheme ed25519|secp256k1.",
        );
      }
      const key =
        options.scheme === "secp256k1" ? generateSecp256k1DeviceKey() : generateDeviceKey();
      publicKey = key.publicKey;
      secretKey = key.secretKey;
    }
    const hmacSecret =
      options.hmacSecretFile === undefined
        ? undefined
        : readFileSync(options.hmacSecretFile, "utf8").trim();
    const input = {
      deviceId: options.id,
      siteId: options.site,
      machineId: options.machine,
      kind: options.kind,
      authScheme: options.scheme,
      publicKey,
      hmacSecret,
      channelCount: options.channels,
    };
    const { db, devices } = await openDevices(options.dataDir);
    try {
      let record;
      let txHash: string | undefined;
      if (options.gatewayOnly === true) {
        record = devices.add(input);
      } else {
        // Input and store checks first: a typo fails before any RPC call.
        devices.validateNew(input);
        const chain = await openRegistryChain(options);
        const { addDevice } = await import("@energy-intelligence/oracle/chain/deviceRegistration");
        ({ record, txHash } = await addDevice({ devices, chain, input }));
      }
      const { hmacSecret: _secret, ...shown } = record;
      const data = { ...shown, txHash: txHash ?? null };
      context.print(
        secretKey === undefined ? data : { ...data, secretKey },
        `added ${record.deviceId} (${record.kind}, ${record.authScheme}, ${record.channelCount} channel(s))` +
          (options.gatewayOnly === true
            ? " in this gateway only (not on chain)"
            : txHash === undefined
              ? " (already registered on chain with this key)"
              : ` on chain in ${txHash}`) +
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
  description:
    "revoke a device on chain (its key term ends) and in the gateway: its messages are refused from now on (what it sent stays)",
  configure: (command) => {
    command
      .argument("<deviceId>", "the device id (0x + 64 hex)")
      .option("--data-dir <dir>", "the gateway's data directory (default data/gateway)");
    chainFlags(command);
  },
  action: async (context, args, rawOptions) => {
    const [deviceId] = z.tuple([z.string()]).parse(args);
    const options = parseCliOptions(chainOptions, rawOptions);
    const { db, devices } = await openDevices(options.dataDir);
    try {
      let record;
      let txHash: string | undefined;
      if (options.gatewayOnly === true) {
        record = devices.revoke(deviceId);
      } else {
        if (devices.get(deviceId) === undefined) devices.revoke(deviceId); // the store's error, exit 2
        const chain = await openRegistryChain(options);
        const { revokeDevice } =
          await import("@energy-intelligence/oracle/chain/deviceRegistration");
        ({ record, txHash } = await revokeDevice({ devices, chain, deviceId }));
      }
      const { hmacSecret: _secret, ...shown } = record;
      context.print(
        { ...shown, txHash: txHash ?? null },
        `revoked ${record.deviceId}` +
          (options.gatewayOnly === true
            ? " in this gateway only (not on chain)"
            : txHash === undefined
              ? " (its key was already revoked on chain)"
              : ` on chain in ${txHash}`),
      );
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};

/** The flags of the on-chain half, shared by add and revoke. */
function chainFlags(command: Command): void {
  command
    .option("--rpc <url>", "JSON-RPC endpoint of the chain EnergyRegistry is on")
    .option("--deployments <file>", "deployments file (default deployments/<chainId>.json)")
    .option(
      "--manager-key-file <file>",
      "file holding the site manager's key (0x + 64 hex); or set EI_MANAGER_KEY",
    )
    .option("--gateway-only", "register in this gateway's store only, not on chain");
}

/** `ei device add|list|revoke`. */
export const deviceCommand: CliCommand = {
  name: "device",
  description: "register, list and revoke devices, on chain (EnergyRegistry) and in the gateway",
  subcommands: [addCommand, listCommand, revokeCommand],
};
