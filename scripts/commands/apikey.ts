import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { openGatewayStore } from "../cli/openGatewayStore.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const storeOptions = z.object({ dataDir: z.string().min(1).default("data/gateway") });
const DATA_DIR_HELP = "the gateway's data directory (default data/gateway)";

async function openApiKeys(dataDir: string) {
  const { ApiKeysRepository } = await import("@energy-intelligence/oracle/jobs/apiKeys");
  const db = await openGatewayStore(dataDir, {
    requireTables: [{ table: "api_keys", migration: "0007 (api-keys-sms)" }],
  });
  return { db, keys: new ApiKeysRepository(db) };
}

const createOptions = storeOptions.extend({
  site: z.string().regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits"),
  name: z.string().min(1),
  scope: z.string().default("jobs:read,jobs:write"),
});

const createCommand: CliCommand = {
  name: "create",
  description: "create an API key for one site's web2 stamping API (shown once, stored hashed)",
  configure: (command) => {
    command
      .requiredOption("--site <bytes32>", "the site the key may stamp for (0x + 64 hex)")
      .requiredOption("--name <text>", "who uses it, e.g. 'MES line 2'")
      .option("--scope <list>", "comma-separated: jobs:read, jobs:write (default both)")
      .option("--data-dir <dir>", DATA_DIR_HELP)
      .addHelpText(
        "after",
        "\nThe key is printed once; the gateway keeps only its SHA-256. Send it as" +
          '\n`Authorization: Bearer <key>`. With --json: the record plus "key".',
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(createOptions, rawOptions);
    const { API_SCOPES } = await import("@energy-intelligence/oracle/jobs/apiKeys");
    const scopes = options.scope.split(",").map((scope) => scope.trim());
    const unknown = scopes.find((scope) => !(API_SCOPES as readonly string[]).includes(scope));
    if (unknown !== undefined)
      throw new CliUsageError(`unknown scope "${unknown}"`, `Use ${API_SCOPES.join(", ")}.`);
    const { db, keys } = await openApiKeys(options.dataDir);
    try {
      const { key, record } = keys.create({
        siteId: options.site,
        name: options.name,
        scopes: scopes as (typeof API_SCOPES)[number][],
      });
      context.print(
        { ...record, key },
        `created key ${record.keyId} (${record.scopes.join(", ")}) for site ${record.siteId}\n` +
          `key (shown once, store it now): ${key}`,
      );
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};

const listCommand: CliCommand = {
  name: "list",
  description: "list API keys (ids, sites, scopes, status; never the secrets)",
  configure: (command) => {
    command
      .option("--site <bytes32>", "only this site's keys")
      .option("--data-dir <dir>", DATA_DIR_HELP);
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(
      storeOptions.extend({ site: z.string().optional() }),
      rawOptions,
    );
    const { db, keys } = await openApiKeys(options.dataDir);
    try {
      const records = keys.list(options.site);
      context.print(
        { keys: records },
        records.length === 0
          ? "no API keys"
          : records
              .map(
                (key) =>
                  `${key.keyId}  ${key.revokedAtMs === null ? "active " : "revoked"}  ${key.scopes.join(",").padEnd(20)}  ${key.siteId.slice(0, 10)}…  ${key.name}`,
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
  description: "revoke an API key at once and for good (the record stays)",
  configure: (command) => {
    command
      .argument("<keyId>", "the key's id (16 hex, as `ei apikey list` shows it)")
      .option("--data-dir <dir>", DATA_DIR_HELP);
  },
  action: async (context, args, rawOptions) => {
    const [keyId] = z
      .tuple([z.string().regex(/^[0-9a-f]{16}$/u, "expected 16 hex digits")])
      .parse(args);
    const options = parseCliOptions(storeOptions, rawOptions);
    const { db, keys } = await openApiKeys(options.dataDir);
    try {
      const record = keys.revoke(keyId);
      context.print(record, `revoked ${record.keyId} (${record.name})`);
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};

export const apikeyCommand: CliCommand = {
  name: "apikey",
  description: "per-site API keys for the gateway's web2 stamping API (create, list, revoke)",
  subcommands: [createCommand, listCommand, revokeCommand],
};
