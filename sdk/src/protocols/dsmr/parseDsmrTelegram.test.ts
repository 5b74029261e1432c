import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { withCrc } from "./fixtures/withCrc.ts";
import { parseDsmrTelegram } from "./parseDsmrTelegram.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), "latin1");

function assertFrameError(fn: () => unknown, reason: string, path?: string): ProtocolFrameError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ProtocolFrameError, `not a ProtocolFrameError: ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    if (path !== undefined) assert.equal(error.path, path);
    return error;
  }
  assert.fail(`expected ${reason}`);
}

describe("parseDsmrTelegram", () => {
  describe("the DSMR 5.0.2 specification example", () => {
    it("is refused as printed, its CRC being the document's erratum", () => {
      const error = assertFrameError(
        () => parseDsmrTelegram(fixture("dsmr-5.0.2-spec-example.txt")),
        "bad-crc",
      );
      assert.match(error.message, /EF2F.*E47C/);
    });

    it("parses with the CRC of its bytes", () => {
      const telegram = parseDsmrTelegram(withCrc(fixture("dsmr-5.0.2-spec-example.txt")));
      assert.equal(telegram.version, "5");
      assert.equal(telegram.versionCode, "50");
      assert.equal(telegram.manufacturer, "ISk");
      assert.equal(telegram.identification, "ISk5\\2MT382-1000");
      assert.deepEqual(telegram.crc, { expected: 0xe47c, computed: 0xe47c });
      // 10-12-09 11:30:20 winter time is 10:30:20 UTC.
      assert.equal(telegram.timestampMs, Date.UTC(2010, 11, 9, 10, 30, 20));
      assert.equal(telegram.equipmentId, "4B384547303034303436333935353037");
      assert.deepEqual(telegram.issues, []);
      assert.equal(telegram.objects.length, 35);
      const t1 = telegram.objects.find((o) => o.obis === "1-0:1.8.1");
      assert.deepEqual(t1?.values, [{ kind: "number", text: "123456.789", unit: "kWh" }]);
      const gas = telegram.objects.find((o) => o.obis === "0-1:24.2.1");
      assert.equal(gas?.name, "M-Bus last value (gas temperature-corrected, water, heat)");
      assert.deepEqual(gas.values, [
        {
          kind: "timestamp",
          text: "101209112500W",
          timestampMs: Date.UTC(2010, 11, 9, 10, 25),
          dst: false,
        },
        { kind: "number", text: "12785.123", unit: "m3" },
      ]);
    });

    it("takes bytes as well as text", () => {
      const text = withCrc(fixture("dsmr-5.0.2-spec-example.txt"));
      const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
      assert.deepEqual(parseDsmrTelegram(bytes), parseDsmrTelegram(text));
    });
  });

  it("parses the DSMR 4.0 example, reporting its malformed line instead of dropping it silently", () => {
    assertFrameError(() => parseDsmrTelegram(fixture("dsmr-4.0-spec-example.txt")), "bad-crc");
    const telegram = parseDsmrTelegram(withCrc(fixture("dsmr-4.0-spec-example.txt")));
    assert.equal(telegram.version, "4");
    assert.deepEqual(telegram.issues, [
      { line: 20, reason: "malformed-line", text: "1-0:72:32.0(00000)" },
    ]);
    // `.255` suffixes are the full OBIS code of the same object.
    const l2 = telegram.objects.find((o) => o.obis === "1-0:41.7.0");
    assert.deepEqual(l2?.values, [{ kind: "number", text: "02.222", unit: "kW" }]);
  });

  it("parses the DSMR 2.2 example: no CRC, no clock, gas value on the next line", () => {
    const telegram = parseDsmrTelegram(fixture("dsmr-2.2-spec-example.txt"));
    assert.equal(telegram.version, "2.2");
    assert.equal(telegram.crc, undefined);
    assert.equal(telegram.timestampMs, undefined);
    const gas = telegram.objects.find((o) => o.obis === "0-1:24.3.0");
    assert.equal(gas?.values.length, 7);
    assert.deepEqual(gas.values[0], {
      kind: "timestamp",
      text: "161107190000",
      timestampMs: Date.UTC(2016, 10, 7, 18, 0, 0),
      dst: undefined,
    });
    assert.deepEqual(gas.values[6], { kind: "number", text: "00001.001", unit: undefined });
    assert.deepEqual(telegram.issues, []);
  });

  it("parses the e-MUCS 1.7.1 example with summer time and a water meter on M-Bus 2", () => {
    assertFrameError(() => parseDsmrTelegram(fixture("emucs-1.7.1-spec-example.txt")), "bad-crc");
    const telegram = parseDsmrTelegram(withCrc(fixture("emucs-1.7.1-spec-example.txt")));
    assert.equal(telegram.version, "e-MUCS");
    assert.equal(telegram.versionCode, "50217");
    assert.equal(telegram.timestampMs, Date.UTC(2020, 4, 12, 11, 54, 9));
    const water = telegram.objects.find((o) => o.obis === "0-2:24.2.1");
    assert.deepEqual(water?.values[1], { kind: "number", text: "00872.234", unit: "m3" });
    assert.equal(telegram.objects.find((o) => o.obis === "0-0:98.1.0")?.values.length, 12);
    assert.deepEqual(telegram.issues, []);
  });

  describe("bad input", () => {
    const v5 = withCrc(fixture("dsmr-5.0.2-spec-example.txt"));

    it("refuses a flipped byte through the CRC", () => {
      assertFrameError(
        () => parseDsmrTelegram(v5.replace("123456.789", "123456.788")),
        "bad-crc",
        "crc",
      );
    });

    it("refuses a DSMR 5 telegram without a CRC", () => {
      assertFrameError(() => parseDsmrTelegram(v5.slice(0, v5.indexOf("!") + 1)), "missing-crc");
    });

    it("refuses a truncated telegram", () => {
      assertFrameError(() => parseDsmrTelegram(v5.slice(0, 300)), "truncated");
    });

    it("refuses what does not start with a header", () => {
      assertFrameError(() => parseDsmrTelegram("1-0:1.8.1(1*kWh)\r\n!"), "bad-header");
      assertFrameError(() => parseDsmrTelegram("/\r\n!"), "bad-header", "line 1");
    });

    it("refuses an energy register that is not a number in kWh, naming its line", () => {
      const bad = withCrc(v5.replace("1-0:1.8.2(123456.789*kWh)", "1-0:1.8.2(123456.789*m3)"));
      assertFrameError(() => parseDsmrTelegram(bad), "bad-value", "line 7 (1-0:1.8.2)");
    });

    it("refuses an impossible clock", () => {
      const bad = withCrc(v5.replace("101209113020W", "101309113020W"));
      assertFrameError(() => parseDsmrTelegram(bad), "bad-timestamp", "line 4 (0-0:1.0.0)");
    });

    it("keeps an unknown OBIS code and reports it", () => {
      const telegram = parseDsmrTelegram(withCrc(v5.replace("!", "1-0:99.1.0(42*kvarh)\r\n!")));
      assert.deepEqual(telegram.issues, [
        { line: 38, reason: "unknown-obis", text: "1-0:99.1.0(42*kvarh)" },
      ]);
      const raw = telegram.objects.find((o) => o.obis === "1-0:99.1.0");
      assert.deepEqual(raw, {
        obis: "1-0:99.1.0",
        name: undefined,
        values: [{ kind: "number", text: "42", unit: "kvarh" }],
        line: 38,
      });
    });
  });

  describe("fuzzing", () => {
    const v5 = withCrc(fixture("dsmr-5.0.2-spec-example.txt"));
    const outcome = (input: string | Uint8Array): void => {
      try {
        parseDsmrTelegram(input);
      } catch (error) {
        assert.ok(error instanceof ProtocolFrameError, String(error));
      }
    };

    it("random bytes give a result or a ProtocolFrameError", () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), outcome), { numRuns: 500 });
      fc.assert(
        fc.property(
          fc.string({
            unit: fc.constantFrom(...Array.from("/!()*.:-0123456789ABkWhSW\r\n")),
            maxLength: 400,
          }),
          outcome,
        ),
        { numRuns: 500 },
      );
    });

    it("mutated telegrams, CRC recomputed so the mutation reaches the parser, never crash or hang", () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(v5.length - 1), fc.nat(3), fc.string({ maxLength: 4 })), {
            maxLength: 6,
          }),
          fc.boolean(),
          (edits, fixCrc) => {
            let text = v5;
            for (const [at, drop, insert] of edits)
              text = text.slice(0, at) + insert + text.slice(at + drop);
            const started = performance.now();
            outcome(fixCrc && text.includes("!") && text.includes("/") ? withCrc(text) : text);
            assert.ok(performance.now() - started < 250, "parsing took too long");
          },
        ),
        { numRuns: 1000 },
      );
    });
  });
});
