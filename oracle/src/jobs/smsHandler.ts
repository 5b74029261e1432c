import type { Hex } from "viem";
import { StampChannel } from "@energy-intelligence/sdk/eip712/index";
import type { SmsPhoneConfig } from "./jobsConfigSchema.ts";
import { type DirectoryMachine, normalizeName } from "./siteDirectory.ts";
import { SMS_USAGE, parseSmsCommand } from "./smsCommands.ts";
import { StampRefusal } from "./stampRefusal.ts";
import type { StampingService } from "./stampingService.ts";

export interface SmsOutcome {
  reply: string;
  stampRef?: number | undefined;
}

const HELP =
  `Commands: ${SMS_USAGE.START} | ${SMS_USAGE.STOP} | ${SMS_USAGE.STATUS} | HELP. ` +
  "Case and spacing do not matter.";

function clock(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(11, 16)} UTC`;
}

function refusalText(error: StampRefusal): string {
  const [hint] = error.hints;
  const sentence = error.shortMessage.charAt(0).toUpperCase() + error.shortMessage.slice(1);
  return hint === undefined ? `${sentence}.` : `${sentence}. ${hint}`;
}

/**
 * Runs one operator text message: who may (the phone's allow-list entry), which
 * machine (the longest run of words naming a registered machine, so "Press 7"
 * and "press7" both work), then the stamping service. Every outcome is a reply
 * in plain words the operator can act on; refusals change nothing.
 */
export async function handleSms(parameters: {
  from: string;
  body: string;
  phones: readonly SmsPhoneConfig[];
  service: StampingService;
  receivedAtMs: number;
}): Promise<SmsOutcome> {
  const { service } = parameters;
  const entries = parameters.phones.filter((phone) => phone.number === parameters.from);
  if (entries.length === 0)
    return {
      reply:
        "This phone number may not stamp jobs. Ask your site manager to add it to the gateway's list.",
    };
  const command = parseSmsCommand(parameters.body);
  if (command.kind === "help") return { reply: HELP };
  if (command.kind === "unknown")
    return { reply: `Sorry, I did not understand "${command.text}". Send HELP for the commands.` };
  if (command.kind === "incomplete")
    return { reply: `${command.command} needs more: send ${command.usage}.` };

  const findMachine = (words: readonly string[]) => {
    for (const entry of entries) {
      for (let count = words.length; count >= 1; count -= 1) {
        const machine = service.directory.findMachine(
          entry.siteId,
          words.slice(0, count).join(" "),
        );
        if (machine !== undefined) return { entry, machine, rest: words.slice(count) };
      }
    }
    return undefined;
  };
  let found = findMachine(command.words);
  if (found === undefined) {
    try {
      await service.directory.refreshIfOlder(2000);
    } catch {
      // Answer from what is known.
    }
    found = findMachine(command.words);
  }
  if (found === undefined)
    return {
      reply: `No machine named "${command.kind === "start" ? (command.words[0] ?? "") : command.words.join(" ")}" here. Use the machine name on your station, e.g. STATUS ${service.directory.machines(entries[0]?.siteId ?? "0x")[0]?.name ?? "<machine>"}.`,
    };
  const { entry, machine, rest } = found;
  if (!mayUse(entry, machine))
    return { reply: `This phone may not stamp ${machine.name}. Ask your site manager.` };
  const siteId = entry.siteId;
  const context = {
    siteId,
    channel: StampChannel.sms,
    source: `sms:${parameters.from}`,
    receivedAtMs: parameters.receivedAtMs,
  } as const;

  try {
    if (command.kind === "status") {
      const { job } = await service.runningOn(siteId, machine.machineId);
      if (job === undefined) return { reply: `${machine.name} is idle.` };
      const sku = skuOf(service, siteId, job.productId);
      return {
        reply: `${machine.name} is running job ${job.reference ?? job.jobId.slice(0, 10)} (${sku}) since ${clock(job.startedAtS)}.`,
      };
    }
    if (command.kind === "stop") {
      if (!/^-?\d+$/u.test(command.units) || Number(command.units) < 1)
        return {
          reply: `Units must be a whole number of at least 1, got "${command.units}". Send ${SMS_USAGE.STOP}.`,
        };
      const { job } = await service.runningOn(siteId, machine.machineId);
      if (job === undefined)
        return {
          reply: `${machine.name} has no running job to stop. Send STATUS ${machine.name} to check.`,
        };
      const view = await service.stop({
        ...context,
        jobId: job.jobId,
        units: Number(command.units),
      });
      return {
        reply: `Stopped job ${job.reference ?? job.jobId.slice(0, 10)} on ${machine.name}: ${command.units} units at ${clock(view.job.stoppedAtS ?? 0)}.`,
        stampRef: view.stop?.stampRef,
      };
    }
    // START <machine> [job] [sku]
    if (rest.length > 2)
      return { reply: `Too many words after the machine. Send ${SMS_USAGE.START}.` };
    let reference: string | undefined;
    let sku: string | undefined;
    if (rest.length === 2) [reference, sku] = rest;
    else if (rest.length === 1) {
      const [only = ""] = rest;
      if (service.directory.findProduct(siteId, only) !== undefined) sku = only;
      else reference = only;
    }
    if (sku === undefined) {
      const products = service.directory.products(siteId);
      const [single] = products;
      if (entry.defaultSku !== undefined) sku = entry.defaultSku;
      else if (products.length === 1 && single !== undefined) sku = single.sku;
      else
        return {
          reply: `Which product? Send START ${machine.name} <job> <sku>. SKUs: ${products.map((p) => p.sku).join(", ")}.`,
        };
    }
    const view = await service.start({
      ...context,
      machines: [machine.machineId],
      product: sku,
      reference,
    });
    return {
      reply: `Started job ${view.job.reference ?? ""} on ${machine.name} (${skuOf(service, siteId, view.job.productId)}) at ${clock(view.job.startedAtS)}. Send STOP ${machine.name} <units> when done.`,
      stampRef: view.start?.stampRef,
    };
  } catch (error) {
    if (error instanceof StampRefusal) return { reply: refusalText(error) };
    throw error;
  }
}

function mayUse(entry: SmsPhoneConfig, machine: DirectoryMachine): boolean {
  return entry.machines.some(
    (allowed) =>
      allowed === "*" ||
      allowed.toLowerCase() === machine.machineId ||
      normalizeName(allowed) === normalizeName(machine.name),
  );
}

function skuOf(service: StampingService, siteId: Hex, productId: Hex): string {
  return service.directory.findProduct(siteId, productId)?.sku ?? productId.slice(0, 10);
}
