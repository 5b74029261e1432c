import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSmsCommand, twimlMessage } from "./smsCommands.ts";

describe("parseSmsCommand", () => {
  it("is forgiving of case, spacing, line breaks and a trailing full stop", () => {
    assert.deepEqual(parseSmsCommand("  stop  Press 7   40. "), {
      kind: "stop",
      words: ["Press", "7"],
      units: "40",
    });
    assert.deepEqual(parseSmsCommand("Start\tpress7\nWO-1  brk-a"), {
      kind: "start",
      words: ["press7", "WO-1", "brk-a"],
    });
    assert.deepEqual(parseSmsCommand("status PRESS 7"), { kind: "status", words: ["PRESS", "7"] });
    assert.deepEqual(parseSmsCommand("help"), { kind: "help" });
    assert.deepEqual(parseSmsCommand("?"), { kind: "help" });
  });

  it("says what is missing and what was not understood", () => {
    assert.deepEqual(parseSmsCommand("STOP press7"), {
      kind: "incomplete",
      command: "STOP",
      usage: "STOP <machine> <units>",
    });
    assert.equal(parseSmsCommand("START").kind, "incomplete");
    assert.equal(parseSmsCommand("STATUS ").kind, "incomplete");
    assert.deepEqual(parseSmsCommand("go home"), { kind: "unknown", text: "go home" });
    assert.deepEqual(parseSmsCommand(""), { kind: "unknown", text: "" });
  });
});

describe("twimlMessage", () => {
  it("wraps the reply in Response/Message and escapes XML", () => {
    assert.equal(
      twimlMessage(`Press <7> & "A"`),
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Press &lt;7&gt; &amp; &quot;A&quot;</Message></Response>',
    );
  });
});
