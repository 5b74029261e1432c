import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidInputError } from "../errors/index.ts";
import { canonicalizeJson } from "./canonicalizeJson.ts";
import { canonicalJsonBytes } from "./canonicalJsonBytes.ts";

class Meter {
  readonly id = "m1";
}

/** An IEEE 754 double from its 16 hex digits, as RFC 8785 Appendix B lists them. */
function fromIeeeHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe("canonicalizeJson", () => {
  describe("RFC 8785 section 3.2.4 example", () => {
    it("serialises the example object to the RFC's output", () => {
      // The input as the RFC writes it, parsed by a JSON parser.
      const input: unknown = JSON.parse(
        String.raw`{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }`,
      );
      assert.equal(
        canonicalizeJson(input),
        String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
      );
    });
  });

  describe("RFC 8785 Appendix B number serialisation", () => {
    const samples: [string, string][] = [
      ["0000000000000000", "0"],
      ["8000000000000000", "0"], // minus zero
      ["0000000000000001", "5e-324"],
      ["8000000000000001", "-5e-324"],
      ["7fefffffffffffff", "1.7976931348623157e+308"],
      ["ffefffffffffffff", "-1.7976931348623157e+308"],
      ["4340000000000000", "9007199254740992"],
      ["c340000000000000", "-9007199254740992"],
      ["4430000000000000", "295147905179352830000"],
      ["44b52d02c7e14af5", "9.999999999999997e+22"],
      ["44b52d02c7e14af6", "1e+23"],
      ["44b52d02c7e14af7", "1.0000000000000001e+23"],
      ["444b1ae4d6e2ef4e", "999999999999999700000"],
      ["444b1ae4d6e2ef4f", "999999999999999900000"],
      ["444b1ae4d6e2ef50", "1e+21"],
      ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
      ["3eb0c6f7a0b5ed8d", "0.000001"],
      ["41b3de4355555553", "333333333.3333332"],
      ["41b3de4355555554", "333333333.33333325"],
      ["41b3de4355555555", "333333333.3333333"],
      ["41b3de4355555556", "333333333.3333334"],
      ["41b3de4355555557", "333333333.33333343"],
      ["becbf647612f3696", "-0.0000033333333333333333"],
      ["43143ff3c1cb0959", "1424953923781206.2"],
    ];
    for (const [hex, expected] of samples) {
      it(`${hex} -> ${expected}`, () => {
        assert.equal(canonicalizeJson(fromIeeeHex(hex)), expected);
      });
    }

    it("refuses NaN (7fffffffffffffff) and Infinity (7ff0000000000000)", () => {
      for (const hex of ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"]) {
        assert.throws(() => canonicalizeJson([fromIeeeHex(hex)]), {
          name: "InvalidInputError",
          path: "$[0]",
        });
      }
    });
  });

  describe("RFC 8785 section 3.2.3 sorting example", () => {
    it("orders non-ASCII property names by UTF-16 code units", () => {
      const input: unknown = JSON.parse(
        String.raw`{
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\ud83d\ude00": "Emoji: Grinning Face",
          "\u0080": "Control",
          "\u00f6": "Latin Small Letter O With Diaeresis"
        }`,
      );
      // Expected order: \r (U+000D), 1 (U+0031), U+0080, ö (U+00F6), € (U+20AC),
      // the emoji (surrogates U+D83D U+DE00), U+FB33: code-unit order, not code-point order.
      assert.equal(
        canonicalizeJson(input),
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
          '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
          '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
    });
  });

  describe("string escaping (RFC 8785 section 3.2.2.2)", () => {
    it("escapes only quote, backslash and control characters, in lower-case hex", () => {
      assert.equal(
        canonicalizeJson('\u0000\u0008\u0009\u000a\u000c\u000d\u001f"\\/\u007f\u2028é'),
        '"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\u007f\u2028é"',
      );
    });
  });

  describe("when the value is not JSON data", () => {
    const cases: [string, unknown, string][] = [
      ["a bigint", { total: { energy: 1n } }, "$.total.energy"],
      ["undefined in an array", { list: [1, undefined] }, "$.list[1]"],
      ["an array hole", { list: [1, , 3] }, "$.list[1]"], // eslint-disable-line no-sparse-arrays
      ["NaN", { a: Number.NaN }, "$.a"],
      ["Infinity", [[Number.POSITIVE_INFINITY]], "$[0][0]"],
      ["a Date", { at: new Date(0) }, "$.at"],
      ["a Map", { m: new Map() }, "$.m"],
      ["a class instance", [new Meter()], "$[0]"],
      ["a boxed number", { n: Object(1) as unknown }, "$.n"],
      ["a function", { f: () => 1 }, "$.f"],
      ["a symbol value", { s: Symbol("s") }, "$.s"],
      ["a toJSON method", { nested: { toJSON: () => 1 } }, "$.nested.toJSON"],
      ["a lone surrogate", { text: "a\ud800" }, "$.text"],
      ["a lone surrogate key", { "\udc00": 1 }, '$["\\udc00"]'],
      ["undefined at the root", undefined, "$"],
      ["a key needing quotes", { "a b": 1n }, '$["a b"]'],
    ];
    for (const [label, value, path] of cases) {
      it(`refuses ${label} with the path ${path}`, () => {
        assert.throws(
          () => canonicalizeJson(value),
          (error: unknown) => {
            assert.ok(error instanceof InvalidInputError);
            assert.equal(error.path, path);
            return true;
          },
        );
      });
    }

    it("refuses a cycle", () => {
      const loop: Record<string, unknown> = { a: 1 };
      loop.self = { back: loop };
      assert.throws(() => canonicalizeJson(loop), { path: "$.self.back" });
    });
  });

  describe("when the value is JSON data", () => {
    it("leaves out object properties set to undefined", () => {
      assert.equal(canonicalizeJson({ b: undefined, a: 1 }), '{"a":1}');
    });

    it("accepts the same object twice side by side (no false cycle)", () => {
      const shared = { x: 1 };
      assert.equal(canonicalizeJson([shared, { shared }]), '[{"x":1},{"shared":{"x":1}}]');
    });

    it("accepts null-prototype objects and deep nesting", () => {
      const bare = Object.create(null) as Record<string, unknown>;
      bare.z = true;
      let deep: unknown = bare;
      for (let depth = 0; depth < 20_000; depth++) deep = [deep];
      const text = canonicalizeJson(deep);
      assert.equal(text.length, 20_000 * 2 + '{"z":true}'.length);
    });
  });
});

describe("canonicalJsonBytes", () => {
  it("is the UTF-8 encoding of the canonical string", () => {
    const bytes = canonicalJsonBytes({ b: 1, a: "€" });
    assert.deepEqual([...bytes], [...Buffer.from('{"a":"€","b":1}', "utf8")]);
    assert.equal(bytes.length, 17);
  });
});
