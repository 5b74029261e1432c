import { readFileSync } from "node:fs";
import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { CliUsageError } from "../cli/errors.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const options = z.object({
  url: z.url().default("http://127.0.0.1:8080"),
  networkServer: z.enum(["ttn", "chirpstack"]).default("ttn"),
  header: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/u)
    .default("authorization"),
  secretFile: z.string().min(1),
  devEui: z
    .string()
    .regex(/^[0-9a-fA-F]{16}$/u, "expected 16 hex digits")
    .default("70B3D57ED0000001"),
  count: z.coerce.number().int().min(1).max(1_000_000).default(10),
  intervalMs: z.coerce.number().int().min(0).default(1000),
  watts: z.coerce.number().int().min(0).default(500),
  startWh: z.coerce.number().int().min(0).default(1000),
  firstFCnt: z.coerce.number().int().min(0).default(0),
});

/** `ei sim lora`: a LoRaWAN meter's uplinks as a network server's webhook posts them. */
export const simLoraCommand: CliCommand = {
  name: "lora",
  description:
    "simulate a LoRaWAN meter: post its uplinks to the gateway as TTN v3 webhooks or ChirpStack v4 HTTP integration events",
  configure: (command) => {
    command
      .requiredOption("--secret-file <file>", "file holding the webhook secret header's value")
      .option("--url <url>", "gateway URL (default http://127.0.0.1:8080)")
      .option("--network-server <ns>", "ttn (default) or chirpstack")
      .option("--header <name>", "header carrying the secret (default authorization)")
      .option("--dev-eui <hex>", "DevEUI (default 70B3D57ED0000001)")
      .option("--count <n>", "uplinks to post (default 10)")
      .option("--interval-ms <ms>", "real time between posts (default 1000)")
      .option(
        "--watts <W>",
        "load; 1 h of it passes between uplinks in simulated time (default 500)",
      )
      .option("--start-wh <Wh>", "first cumulative counter (default 1000)")
      .option("--first-f-cnt <n>", "first frame counter (default 0)")
      .addHelpText(
        "after",
        "\nEach uplink is the ei LoRa payload on fPort 10 (docs/formats.md), base64 in frm_payload / data." +
          "\nExit 1 when any post was not stored.",
      );
  },
  action: async (context, _args, raw) => {
    const o = parseCliOptions(options, raw);
    let secret: string;
    try {
      secret = readFileSync(o.secretFile, "utf8").replace(/\r?\n$/u, "");
    } catch (error) {
      throw new CliUsageError(`cannot read ${o.secretFile}`, "Pass the webhook secret's file.", {
        cause: error,
      });
    }
    const { postLoraUplink } =
      await import("@energy-intelligence/oracle/sim/protocols/loraWebhookSimulator");
    const outcomes: Record<string, number> = {};
    // Counters as of "now" at the last uplink, one simulated hour apart, so no timestamp is in the future.
    const startMs = Date.now() - (o.count - 1) * 3_600_000;
    for (let index = 0; index < o.count; index++) {
      let answer;
      try {
        answer = await postLoraUplink({
          url: o.url,
          networkServer: o.networkServer,
          header: o.header.toLowerCase(),
          secret,
          uplink: {
            devEui: o.devEui,
            fCnt: o.firstFCnt + index,
            energyImportedWh: o.startWh + index * o.watts,
            watts: o.watts,
            receivedAtMs: startMs + index * 3_600_000,
          },
        });
      } catch (error) {
        throw new CliUsageError(
          `cannot reach ${o.url}`,
          "Start the gateway (ei gateway) or pass --url.",
          {
            cause: error,
          },
        );
      }
      const reason = typeof answer.body.reason === "string" ? answer.body.reason : "";
      const status =
        answer.status === 200 ? String(answer.body.status) : `http-${answer.status}-${reason}`;
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      context.progress(`uplink ${index + 1}/${o.count} fCnt ${o.firstFCnt + index}: ${status}`);
      if (index + 1 < o.count && o.intervalMs > 0)
        await new Promise((resolve) => setTimeout(resolve, o.intervalMs));
    }
    const stored = outcomes.stored ?? 0;
    context.print(
      { networkServer: o.networkServer, devEui: o.devEui, outcomes },
      `${stored}/${o.count} uplinks stored: ${JSON.stringify(outcomes)}`,
    );
    return stored === o.count ? ExitCode.ok : ExitCode.checkFailed;
  },
};
