/** What an operator's text message asks for, before names are resolved. */
export type SmsCommand =
  | { kind: "start"; words: string[] }
  | { kind: "stop"; words: string[]; units: string }
  | { kind: "status"; words: string[] }
  | { kind: "help" }
  | { kind: "unknown"; text: string }
  | { kind: "incomplete"; command: "START" | "STOP" | "STATUS"; usage: string };

export const SMS_USAGE = {
  START: "START <machine> [job] [sku]",
  STOP: "STOP <machine> <units>",
  STATUS: "STATUS <machine>",
} as const;

/**
 * Splits an SMS into a command and its words, forgiving of case, of extra
 * spaces, tabs and line breaks, of a trailing full stop, and of phones that
 * auto-capitalise. Resolving the words to a machine, job and SKU is the
 * handler's job (it knows the site's names).
 *
 * @example
 * ```ts
 * parseSmsCommand("  stop  Press 7   40 ") // { kind: "stop", words: ["Press", "7"], units: "40" }
 * ```
 */
export function parseSmsCommand(body: string): SmsCommand {
  const words = body
    .replace(/[.!]+\s*$/u, "")
    .split(/\s+/u)
    .filter((word) => word !== "");
  const [first, ...rest] = words;
  const command = first?.toUpperCase();
  switch (command) {
    case "START":
      return rest.length === 0
        ? { kind: "incomplete", command: "START", usage: SMS_USAGE.START }
        : { kind: "start", words: rest };
    case "STOP": {
      const units = rest.at(-1);
      return rest.length < 2 || units === undefined
        ? { kind: "incomplete", command: "STOP", usage: SMS_USAGE.STOP }
        : { kind: "stop", words: rest.slice(0, -1), units };
    }
    case "STATUS":
      return rest.length === 0
        ? { kind: "incomplete", command: "STATUS", usage: SMS_USAGE.STATUS }
        : { kind: "status", words: rest };
    case "HELP":
    case "?":
      return { kind: "help" };
    default:
      return { kind: "unknown", text: body.trim().slice(0, 40) };
  }
}

/** The TwiML answer to an inbound message: one reply text, XML-escaped. */
export function twimlMessage(text: string): string {
  const escaped = text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escaped}</Message></Response>`;
}
