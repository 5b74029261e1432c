import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { CliCommand, CommandContext } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const DATA_DIR_HELP =
  "the dApp's data directory, as EI_DAPP_DATA_DIR gives it to the dApp (default data/dapp)";
const dataDirOption = z.object({ dataDir: z.string().min(1).default("data/dapp") });
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits");
const role = z.enum(["operator", "site-manager"]).default("operator");
const username = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/u, "2–64 characters: letters, digits, . _ @ -");

async function openUsers(dataDir: string) {
  const { portalDatabaseFile, portalRelayKeyFile } =
    await import("../../dapp/src/portal/portalPaths.ts");
  const { openPortalDatabase } = await import("../../dapp/src/portal/portalDatabase.ts");
  const { PortalUsers } = await import("../../dapp/src/portal/portalUsers.ts");
  const db = openPortalDatabase(portalDatabaseFile(dataDir));
  return { db, users: new PortalUsers(db), relayKeyFile: portalRelayKeyFile(dataDir) };
}

/** A generated portal password: 120 random bits, 20 characters (base64url). */
export function generatePortalPassword(): string {
  return randomBytes(15).toString("base64url");
}

/** The password from stdin (first line), or a generated one printed once. */
async function passwordFor(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  const { passwordProblem } = await import("../../dapp/src/portal/passwordHash.ts");
  if (!fromStdin) return { password: generatePortalPassword(), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString("utf8").split(/\r?\n/u)[0] ?? "";
  const problem = passwordProblem(password);
  if (problem !== undefined)
    throw new CliUsageError(
      `the password on stdin is not accepted: ${problem}`,
      "Pipe a longer password, or leave out --password-stdin to get a generated one.",
    );
  return { password, generated: false };
}

async function hashed(password: string): Promise<string> {
  const { hashPassword } = await import("../../dapp/src/portal/passwordHash.ts");
  return hashPassword(password);
}

/** Why `add` refused: the user exists already (the CLI turns it into a usage error). */
export class PortalUserExistsError extends Error {
  override name = "PortalUserExistsError";
}

/**
 * Creates a portal user with a password and one role at one site, as `ei portal user add` does;
 * `ei start` creates its demo operator through this too. The password is stored scrypt-hashed.
 */
export async function addPortalUser(parameters: {
  dataDir: string;
  username: string;
  siteId: string;
  role: "operator" | "site-manager";
  displayName?: string;
  password: string;
}): Promise<{ username: string; roles: { siteId: string; role: string }[] }> {
  const passwordHash = await hashed(parameters.password);
  const { db, users } = await openUsers(parameters.dataDir);
  try {
    if (users.byUsername(parameters.username) !== undefined)
      throw new PortalUserExistsError(`portal user "${parameters.username}" exists already`);
    const user = users.create({
      username: parameters.username,
      ...(parameters.displayName === undefined ? {} : { displayName: parameters.displayName }),
      passwordHash,
      roles: [{ siteId: parameters.siteId.toLowerCase() as `0x${string}`, role: parameters.role }],
    });
    return { username: user.username, roles: user.roles };
  } finally {
    db.close();
  }
}

function userLine(user: {
  username: string;
  disabled: boolean;
  roles: { siteId: string; role: string }[];
}): string {
  const roles = user.roles.map((entry) => `${entry.role}@${entry.siteId.slice(0, 10)}…`).join(", ");
  return `${user.username.padEnd(20)} ${user.disabled ? "disabled" : "active  "} ${roles || "(no roles)"}`;
}

const addCommand: CliCommand = {
  name: "add",
  description: "create a portal user with a role at a site (the password is stored scrypt-hashed)",
  configure: (command) => {
    command
      .argument("<username>", "what the user types to sign in")
      .requiredOption("--site <bytes32>", "the site the user works at (0x + 64 hex)")
      .option("--role <role>", "operator (stamps jobs) or site-manager (default operator)")
      .option("--name <text>", "display name (default: the username)")
      .option(
        "--password-stdin",
        "read the password from stdin (first line) instead of generating one",
      )
      .option("--data-dir <dir>", DATA_DIR_HELP)
      .addHelpText(
        "after",
        "\nWithout --password-stdin a random password is generated and printed once; the user signs" +
          "\nin with it and can then add a passkey. Example:" +
          "\n  printf '%s\\n' \"$PASSWORD\" | ei portal user add ana --site 0x… --password-stdin",
      );
  },
  action: async (context, args, rawOptions) => {
    const [name] = z.tuple([username]).parse(args);
    const options = parseCliOptions(
      dataDirOption.extend({
        site: bytes32,
        role,
        name: z.string().min(1).max(100).optional(),
        passwordStdin: z.boolean().default(false),
      }),
      rawOptions,
    );
    const { password, generated } = await passwordFor(options.passwordStdin);
    let record: Awaited<ReturnType<typeof addPortalUser>>;
    try {
      record = await addPortalUser({
        dataDir: options.dataDir,
        username: name,
        siteId: options.site,
        role: options.role,
        ...(options.name === undefined ? {} : { displayName: options.name }),
        password,
      });
    } catch (error) {
      if (!(error instanceof PortalUserExistsError)) throw error;
      throw new CliUsageError(
        error.message,
        `Grant another site with \`ei portal user grant ${name} --site …\`, or reset the password with \`ei portal user password ${name}\`.`,
      );
    }
    context.print(
      generated ? { ...record, password } : record,
      `created portal user ${record.username} (${options.role} at ${options.site})` +
        (generated ? `\npassword (shown once, give it to the user): ${password}` : ""),
    );
    return ExitCode.ok;
  },
};

const listCommand: CliCommand = {
  name: "list",
  description: "list portal users with their roles (never passwords)",
  configure: (command) => {
    command.option("--data-dir <dir>", DATA_DIR_HELP);
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(dataDirOption, rawOptions);
    const { db, users } = await openUsers(options.dataDir);
    try {
      const list = users.list().map((user) => ({
        username: user.username,
        displayName: user.displayName,
        disabled: user.disabled,
        roles: user.roles,
      }));
      context.print(
        { users: list },
        list.length === 0 ? "no portal users" : list.map(userLine).join("\n"),
      );
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};

function userCommand(
  name: string,
  description: string,
  extra: (command: import("commander").Command) => void,
  run: (
    context: CommandContext,
    users: Awaited<ReturnType<typeof openUsers>>["users"],
    user: NonNullable<ReturnType<Awaited<ReturnType<typeof openUsers>>["users"]["byUsername"]>>,
    options: Readonly<Record<string, unknown>>,
  ) => Promise<void> | void,
): CliCommand {
  return {
    name,
    description,
    configure: (command) => {
      command.argument("<username>", "the portal user");
      extra(command);
      command.option("--data-dir <dir>", DATA_DIR_HELP);
    },
    action: async (context, args, rawOptions) => {
      const [who] = z.tuple([z.string().min(1)]).parse(args);
      const options = parseCliOptions(dataDirOption.loose(), rawOptions);
      const { db, users } = await openUsers(options.dataDir);
      try {
        const user = users.byUsername(who);
        if (user === undefined)
          throw new CliUsageError(`no portal user "${who}"`, "See `ei portal user list`.");
        await run(context, users, user, rawOptions);
      } finally {
        db.close();
      }
      return ExitCode.ok;
    },
  };
}

const grantCommand = userCommand(
  "grant",
  "give a portal user a role at a site",
  (command) =>
    command
      .requiredOption("--site <bytes32>", "the site (0x + 64 hex)")
      .option("--role <role>", "operator or site-manager (default operator)"),
  (context, users, user, raw) => {
    const options = parseCliOptions(z.object({ site: bytes32, role }).loose(), raw);
    users.grant(user.userId, {
      siteId: options.site.toLowerCase() as `0x${string}`,
      role: options.role,
    });
    context.print(
      { username: user.username, granted: options },
      `${user.username}: ${options.role} at ${options.site}`,
    );
  },
);

const revokeCommand = userCommand(
  "revoke",
  "take a role at a site away from a portal user",
  (command) =>
    command
      .requiredOption("--site <bytes32>", "the site (0x + 64 hex)")
      .option("--role <role>", "operator or site-manager (default operator)"),
  (context, users, user, raw) => {
    const options = parseCliOptions(z.object({ site: bytes32, role }).loose(), raw);
    users.revoke(user.userId, {
      siteId: options.site.toLowerCase() as `0x${string}`,
      role: options.role,
    });
    context.print(
      { username: user.username, revoked: options },
      `${user.username}: no longer ${options.role} at ${options.site}`,
    );
  },
);

const disableCommand = userCommand(
  "disable",
  "disable a portal user and end all of their sessions at once",
  () => undefined,
  (context, users, user) => {
    users.setDisabled(user.userId, true);
    context.print(
      { username: user.username, disabled: true },
      `${user.username} disabled (signed out everywhere)`,
    );
  },
);

const enableCommand = userCommand(
  "enable",
  "enable a disabled portal user again",
  () => undefined,
  (context, users, user) => {
    users.setDisabled(user.userId, false);
    context.print({ username: user.username, disabled: false }, `${user.username} enabled`);
  },
);

const passwordCommand = userCommand(
  "password",
  "set a new password for a portal user (generated, or from stdin)",
  (command) => command.option("--password-stdin", "read the password from stdin (first line)"),
  async (context, users, user, raw) => {
    const options = parseCliOptions(
      z.object({ passwordStdin: z.boolean().default(false) }).loose(),
      raw,
    );
    const { password, generated } = await passwordFor(options.passwordStdin);
    users.setPasswordHash(user.userId, await hashed(password));
    context.print(
      generated ? { username: user.username, password } : { username: user.username },
      `new password set for ${user.username}` +
        (generated ? `\npassword (shown once): ${password}` : ""),
    );
  },
);

const relayKeyCommand: CliCommand = {
  name: "relay-key",
  description:
    "create (once) and show the portal's relay key address, to grant it a site's operator role",
  configure: (command) => {
    command
      .option("--data-dir <dir>", DATA_DIR_HELP)
      .addHelpText(
        "after",
        "\nThe portal signs its operators' stamps with this key (channel 1, portal) and relays them" +
          "\nthrough the site gateway. The site manager grants its address the site's operator role" +
          "\n(EnergyRegistry.grantRole(siteRole(OPERATOR_ROLE, siteId), address)). The key file is" +
          "\ncreated with mode 600 and never leaves the dApp server.",
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(dataDirOption, rawOptions);
    const { portalRelayKeyFile } = await import("../../dapp/src/portal/portalPaths.ts");
    const { ensurePortalRelayKey } = await import("../../dapp/src/portal/ensurePortalRelayKey.ts");
    const file = portalRelayKeyFile(options.dataDir);
    let address: string;
    let created: boolean;
    try {
      ({ address, created } = ensurePortalRelayKey(file));
    } catch (error) {
      throw new CliUsageError(
        (error as Error).message,
        "Fix or remove the file, then run this again.",
      );
    }
    context.print(
      { address, file, created },
      `${created ? "created" : "existing"} portal relay key ${file}\naddress: ${address}\n` +
        "Grant this address the operator role of each site the portal stamps for.",
    );
    return ExitCode.ok;
  },
};

export const portalCommand: CliCommand = {
  name: "portal",
  description: "the dApp's web2 operator portal: users, roles and its relay key",
  subcommands: [
    {
      name: "user",
      description: "portal users (add, list, grant, revoke, disable, enable, password)",
      subcommands: [
        addCommand,
        listCommand,
        grantCommand,
        revokeCommand,
        disableCommand,
        enableCommand,
        passwordCommand,
      ],
    },
    relayKeyCommand,
  ],
};
