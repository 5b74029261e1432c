import { z } from "zod";
import {
  ProtocolFrameError,
  createDsmrStreamSplitter,
  dsmrTelegramToReadings,
  parseDsmrTelegram,
} from "@energy-intelligence/sdk/protocols/index";
import type { DsmrTelegram, DsmrValue } from "@energy-intelligence/sdk/protocols/index";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { readInputFile } from "../cli/readInputFile.ts";

const argsSchema = z.tuple([z.string().min(1)]);

function valueJson(value: DsmrValue): Record<string, unknown> {
  if (value.kind === "timestamp") {
    return {
      timestamp: new Date(value.timestampMs).toISOString(),
      timestampMs: value.timestampMs,
      dst: value.dst ?? null,
    };
  }
  if (value.kind === "number") return { value: value.text, unit: value.unit ?? null };
  return { value: value.text };
}

function telegramJson(telegram: DsmrTelegram): Record<string, unknown> {
  let readings: Record<string, unknown>[] = [];
  try {
    readings = dsmrTelegramToReadings(telegram).map((r) => ({
      ...r,
      energyImportedMilliWattHours: r.energyImportedMilliWattHours.toString(),
      energyExportedMilliWattHours: r.energyExportedMilliWattHours.toString(),
    }));
  } catch (error) {
    // No import register, or (DSMR 2.2) no clock: the objects are still worth printing.
    if (!(error instanceof ProtocolFrameError)) throw error;
  }
  return {
    identification: telegram.identification,
    version: telegram.version,
    versionCode: telegram.versionCode ?? null,
    crc:
      telegram.crc === undefined
        ? null
        : telegram.crc.expected.toString(16).toUpperCase().padStart(4, "0"),
    timestamp:
      telegram.timestampMs === undefined ? null : new Date(telegram.timestampMs).toISOString(),
    equipmentId: telegram.equipmentId ?? null,
    objects: telegram.objects.map((o) => ({
      obis: o.obis,
      name: o.name ?? null,
      line: o.line,
      values: o.values.map(valueJson),
    })),
    issues: telegram.issues,
    readings,
  };
}

function telegramText(telegram: DsmrTelegram): string {
  const lines = [
    `/${telegram.identification}  DSMR ${telegram.version}` +
      (telegram.timestampMs === undefined
        ? ""
        : `  ${new Date(telegram.timestampMs).toISOString()}`),
  ];
  for (const o of telegram.objects) {
    const values = o.values
      .map((v) =>
        v.kind === "timestamp"
          ? new Date(v.timestampMs).toISOString()
          : `${v.text}${v.kind === "number" && v.unit !== undefined ? ` ${v.unit}` : ""}`,
      )
      .join("  ");
    lines.push(`  ${o.obis.padEnd(12)} ${values}${o.name === undefined ? "  (unknown OBIS)" : ""}`);
  }
  for (const issue of telegram.issues)
    lines.push(`  ! line ${issue.line}: ${issue.reason}: ${issue.text}`);
  return lines.join("\n");
}

const parseCommand: CliCommand = {
  name: "parse",
  description:
    "print the P1 telegrams of a file (a capture of a P1 port or ser2net stream) as OBIS code, value, unit, timestamp",
  configure: (command) => {
    command
      .argument("<file>", "a file holding one or more telegrams, or - for stdin")
      .addHelpText(
        "after",
        "\nExit 1 when some telegram in the file is refused (bad CRC, truncated…); each is listed." +
          '\nWith --json: {"telegrams": [{identification, version, crc, timestamp, equipmentId, objects: [{obis, name, values}], issues, readings}], "refused": [{reason, path, message}]}.',
      );
  },
  action: async (context, args) => {
    const [file] = argsSchema.parse(args);
    const splitter = createDsmrStreamSplitter();
    // A file ends where the stream stops: flush a last telegram that lacks its line end.
    const events = splitter.push(await readInputFile(file));
    events.push(...splitter.push("\r\n/"));
    const telegrams: DsmrTelegram[] = [];
    const refused: { reason: string; path: string; message: string }[] = [];
    for (const event of events) {
      if (event.type === "discarded") {
        if (event.reason !== "garbage")
          refused.push({
            reason: event.reason,
            path: "stream",
            message: `${event.byteLength} bytes`,
          });
        continue;
      }
      try {
        telegrams.push(parseDsmrTelegram(event.text));
      } catch (error) {
        if (!(error instanceof ProtocolFrameError)) throw error;
        refused.push({ reason: error.reason, path: error.path, message: error.summary });
      }
    }
    if (telegrams.length === 0 && refused.length === 0) {
      throw new CliUsageError(
        `${file}: no P1 telegram found`,
        "A telegram starts with '/' and ends with '!' and its CRC.",
      );
    }
    const text = [
      ...telegrams.map(telegramText),
      ...refused.map((r) => `refused: ${r.reason} at ${r.path}: ${r.message}`),
    ].join("\n\n");
    context.print({ telegrams: telegrams.map(telegramJson), refused }, text);
    return refused.length === 0 ? ExitCode.ok : ExitCode.checkFailed;
  },
};

/** `ei dsmr …`: DSMR P1 smart-meter telegrams. */
export const dsmrCommand: CliCommand = {
  name: "dsmr",
  description: "DSMR P1 smart-meter telegrams (DSMR 2.2, 4.x, 5.0, Belgian e-MUCS)",
  subcommands: [parseCommand],
};
