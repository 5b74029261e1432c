import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { createDsmrStreamSplitter } from "./createDsmrStreamSplitter.ts";
import type { DsmrStreamEvent } from "./createDsmrStreamSplitter.ts";
import { parseDsmrTelegram } from "./parseDsmrTelegram.ts";
import { withCrc } from "./fixtures/withCrc.ts";

const v5 = withCrc(
  readFileSync(new URL("fixtures/dsmr-5.0.2-spec-example.txt", import.meta.url), "latin1"),
);
const v22 = readFileSync(new URL("fixtures/dsmr-2.2-spec-example.txt", import.meta.url), "latin1");
const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("createDsmrStreamSplitter", () => {
  it("finds whole telegrams however the stream is chunked, with garbage between them", () => {
    const stream = bytes(`\x00\xffnoise${v5}junk\r\n${v22}${v5.slice(0, -2)}`);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 40 }),
        (cuts) => {
          const splitter = createDsmrStreamSplitter();
          const events: DsmrStreamEvent[] = [];
          let previous = 0;
          for (const cut of [...cuts.sort((a, b) => a - b), stream.length]) {
            events.push(...splitter.push(stream.subarray(previous, cut)));
            previous = cut;
          }
          const telegrams = events.flatMap((e) => (e.type === "telegram" ? [e.text] : []));
          assert.deepEqual(telegrams, [v5, v22]);
          // The last one lacks its line end: held, as its CRC could still be arriving.
          assert.equal(splitter.bufferedBytes, v5.length - 2);
          const garbage = events.filter((e) => e.type === "discarded");
          assert.ok(garbage.every((e) => "reason" in e && e.reason === "garbage"));
          assert.ok(garbage.length >= 2);
          for (const text of telegrams) parseDsmrTelegram(text);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("reports a telegram cut off by the start of the next one", () => {
    const splitter = createDsmrStreamSplitter();
    const events = splitter.push(v5.slice(0, 200) + v5 + "/");
    assert.deepEqual(events, [
      { type: "discarded", reason: "truncated", byteLength: 200 },
      { type: "telegram", text: v5 },
    ]);
  });

  it("drops an endless run without an end marker instead of buffering it", () => {
    const splitter = createDsmrStreamSplitter();
    const events = splitter.push("/" + "A".repeat(20_000));
    assert.deepEqual(events, [{ type: "discarded", reason: "oversize", byteLength: 20_001 }]);
    assert.equal(splitter.bufferedBytes, 0);
  });

  it("never throws or holds more than a telegram's worth on random bytes", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 10 }), (chunks) => {
        const splitter = createDsmrStreamSplitter();
        for (const chunk of chunks) splitter.push(chunk);
        assert.ok(splitter.bufferedBytes <= 16_384 + 3000);
      }),
    );
  });
});
