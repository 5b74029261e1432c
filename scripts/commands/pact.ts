import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { openGatewayStore } from "../cli/openGatewayStore.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const DATA_DIR_HELP = "the gateway's data directory (default data/gateway)";

const pullOptions = z.object({
  url: z.url({ protocol: /^https?$/u, error: "expected the PACT host's http(s) base URL" }),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).optional(),
  dataDir: z.string().min(1).default("data/gateway"),
});

async function openSupplierStore(dataDir: string) {
  const { SupplierFootprintsRepository } =
    await import("@energy-intelligence/oracle/pact/supplierFootprintsRepository");
  const db = await openGatewayStore(dataDir);
  return { db, suppliers: new SupplierFootprintsRepository(db) };
}

const pullCommand: CliCommand = {
  name: "pull",
  description:
    "fetch suppliers' footprints from a PACT v3 host, validate them, and keep them for bills of materials",
  configure: (command) => {
    command
      .requiredOption("--url <base>", "the supplier's PACT host (its /3/footprints hangs off it)")
      .requiredOption("--client-id <id>", "the client id the supplier issued you")
      .option(
        "--client-secret <secret>",
        "the client secret (better: set EI_PACT_CLIENT_SECRET, so it stays out of the process list)",
      )
      .option("--page-size <n>", "footprints per page to ask for (the host may send fewer)")
      .option("--data-dir <dir>", DATA_DIR_HELP)
      .addHelpText(
        "after",
        "\nExamples:\n" +
          "  EI_PACT_CLIENT_SECRET=… ei pact pull --url https://pact.supplier.example --client-id acme\n" +
          "  ei pact pull --url http://127.0.0.1:8080 --client-id pact-x --client-secret s3cret --json\n" +
          "\nToken by OAuth 2.0 client credentials (the host's OpenID configuration, else /auth/token), then\n" +
          "GET /3/footprints page by page. Every footprint is checked against the PACT v3 data model; one\n" +
          "that fails is not kept and is listed with its failing fields (exit 1). Kept ones replace earlier\n" +
          "pulls of the same id. Name them in a bill of materials (docs/standards.md) by their id.\n" +
          'With --json: {"source", "pages", "kept", "new", "rejected": [{"index", "id", "issues"}]}.',
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(pullOptions, {
      ...rawOptions,
      clientSecret: rawOptions.clientSecret ?? process.env.EI_PACT_CLIENT_SECRET,
    });
    if (options.clientSecret === undefined)
      throw new CliUsageError(
        "no client secret given",
        "Set EI_PACT_CLIENT_SECRET (or pass --client-secret).",
      );
    const { pullPactFootprints, PactClientError } =
      await import("@energy-intelligence/oracle/pact/pactClient");
    context.progress(`pulling footprints from ${options.url} …`);
    let result: Awaited<ReturnType<typeof pullPactFootprints>>;
    try {
      result = await pullPactFootprints({
        baseUrl: options.url,
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        pageSize: options.pageSize,
      });
    } catch (error) {
      if (error instanceof PactClientError)
        throw new CliUsageError(
          `${options.url}: ${error.message}`,
          error.code === "invalid_client" || error.code === "AccessDenied"
            ? "Check --client-id and the client secret with the supplier."
            : "Check --url: it must be the supplier's PACT v3 base URL.",
          { cause: error },
        );
      if (error instanceof TypeError)
        throw new CliUsageError(
          `${options.url}: cannot reach the host (${error.message})`,
          "Check --url and that the host is up.",
          { cause: error },
        );
      throw error;
    }
    const { db, suppliers } = await openSupplierStore(options.dataDir);
    let created: number;
    try {
      created = suppliers.keep(options.url, result.accepted, Date.now());
    } finally {
      db.close();
    }
    const lines = [
      `${result.accepted.length} footprint(s) kept (${created} new) from ${options.url} in ${result.pages} page(s)`,
      ...result.accepted.map(
        (pf) =>
          `  ${pf.id}  ${pf.companyName}: ${pf.productNameCompany}, ${pf.pcf.pcfExcludingBiogenicCO2Withdrawal} kg CO2e per ${pf.pcf.declaredUnitAmount} ${pf.pcf.declaredUnitOfMeasurement}`,
      ),
      ...(result.rejected.length === 0
        ? []
        : [
            `${result.rejected.length} footprint(s) REJECTED (not PACT v3), not kept:`,
            ...result.rejected.map(
              (r) => `  #${r.index} ${r.id ?? "(no id)"}:\n    ${r.issues.join("\n    ")}`,
            ),
          ]),
    ];
    context.print(
      {
        source: options.url,
        pages: result.pages,
        kept: result.accepted.map((pf) => pf.id),
        new: created,
        rejected: result.rejected,
      },
      lines.join("\n"),
    );
    return result.rejected.length === 0 ? ExitCode.ok : ExitCode.checkFailed;
  },
};

const listCommand: CliCommand = {
  name: "list",
  description: "list the suppliers' footprints kept in the gateway store",
  configure: (command) => {
    command.option("--data-dir <dir>", DATA_DIR_HELP);
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(
      z.object({ dataDir: z.string().min(1).default("data/gateway") }),
      rawOptions,
    );
    const { db, suppliers } = await openSupplierStore(options.dataDir);
    try {
      const rows = suppliers.list();
      context.print(
        { footprints: rows },
        rows.length === 0
          ? "no supplier footprints kept (ei pact pull fetches them)"
          : rows
              .map(
                (row) => `${row.id}  ${row.status.padEnd(10)}  ${row.companyName}  (${row.source})`,
              )
              .join("\n"),
      );
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};

/** `ei pact pull|list`: suppliers' PACT footprints for bills of materials. */
export const pactCommand: CliCommand = {
  name: "pact",
  description: "PACT v3 data exchange: pull suppliers' product footprints",
  subcommands: [pullCommand, listCommand],
};
