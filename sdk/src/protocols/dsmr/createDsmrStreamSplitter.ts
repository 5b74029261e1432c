import { DSMR_MAX_TELEGRAM_BYTES } from "./parseDsmrTelegram.ts";

/** What a splitter found in the bytes it was fed. */
export type DsmrStreamEvent =
  | { type: "telegram"; text: string }
  | { type: "discarded"; reason: "garbage" | "truncated" | "oversize"; byteLength: number };

export interface DsmrStreamSplitter {
  /** Feeds bytes as they arrive; returns the telegrams (and discards) completed by them. */
  push(chunk: Uint8Array | string): DsmrStreamEvent[];
  /** Bytes held while waiting for the rest of a telegram. */
  readonly bufferedBytes: number;
}

/**
 * Cuts a serial or TCP byte stream (a P1 port, a ser2net bridge) into whole
 * telegrams: from `/` through `!`, its CRC and the line end. Telegrams may be
 * split across chunks at any byte; bytes outside a telegram are reported as
 * `garbage`, a telegram interrupted by a new `/` as `truncated`, and a run
 * without an end marker longer than a telegram can be as `oversize`, so a
 * noisy line never grows the buffer without bound. The text is latin1 (one
 * char per byte), which keeps CRC offsets exact.
 *
 * @example
 * ```ts
 * const splitter = createDsmrStreamSplitter();
 * socket.on("data", (chunk) => {
 *   for (const event of splitter.push(chunk)) if (event.type === "telegram") handle(event.text);
 * });
 * ```
 */
export function createDsmrStreamSplitter(): DsmrStreamSplitter {
  let buffer = "";

  function drain(): DsmrStreamEvent[] {
    const events: DsmrStreamEvent[] = [];
    for (;;) {
      const start = buffer.indexOf("/");
      if (start < 0) {
        if (buffer.trim() !== "")
          events.push({ type: "discarded", reason: "garbage", byteLength: buffer.length });
        buffer = "";
        return events;
      }
      if (start > 0) {
        const skipped = buffer.slice(0, start);
        if (skipped.trim() !== "")
          events.push({ type: "discarded", reason: "garbage", byteLength: start });
        buffer = buffer.slice(start);
      }
      const bang = buffer.indexOf("!");
      const nextStart = buffer.indexOf("/", 1);
      if (nextStart >= 0 && (bang < 0 || nextStart < bang)) {
        events.push({ type: "discarded", reason: "truncated", byteLength: nextStart });
        buffer = buffer.slice(nextStart);
        continue;
      }
      if (bang < 0) {
        if (buffer.length > DSMR_MAX_TELEGRAM_BYTES) {
          events.push({ type: "discarded", reason: "oversize", byteLength: buffer.length });
          buffer = "";
        }
        return events;
      }
      // After '!': up to 4 CRC hex digits, then the line end. Wait for the
      // line end unless the next telegram has already begun.
      const lineEnd = buffer.indexOf("\n", bang);
      let end: number;
      if (lineEnd >= 0 && lineEnd - bang <= 7) end = lineEnd + 1;
      else if (buffer.length - bang > 7) {
        const crc = /^[0-9A-Fa-f]{0,4}/.exec(buffer.slice(bang + 1))?.[0] ?? "";
        end = bang + 1 + crc.length;
      } else return events;
      events.push({ type: "telegram", text: buffer.slice(0, end) });
      buffer = buffer.slice(end);
    }
  }

  return {
    push(chunk) {
      if (typeof chunk === "string") buffer += chunk;
      else
        for (let i = 0; i < chunk.length; i += 4096)
          buffer += String.fromCharCode(...chunk.subarray(i, i + 4096));
      return drain();
    },
    get bufferedBytes() {
      return buffer.length;
    },
  };
}
