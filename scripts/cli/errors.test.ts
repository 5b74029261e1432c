import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { InvalidInputError } from "@energy-intelligence/sdk/errors/index";
import { CliUsageError, describeError, printError } from "./errors.ts";
import { ExitCode } from "./exitCodes.ts";

describe("describeError", () => {
  it("maps a usage error to exit 2 with its next step", () => {
    const report = describeError(new CliUsageError("bad flag", "Use --help."));
    assert.equal(report.exitCode, ExitCode.usage);
    assert.equal(report.nextStep, "Use --help.");
    assert.equal(report.stack, undefined);
  });

  it("maps an sdk input error to exit 2, keeping its path and first hint", () => {
    const report = describeError(
      new InvalidInputError("values[3][1]", "does not fit uint8", { hints: ["Use 0..255."] }),
    );
    assert.equal(report.exitCode, ExitCode.usage);
    assert.equal(report.path, "values[3][1]");
    assert.equal(report.summary, "values[3][1]: does not fit uint8");
    assert.equal(report.nextStep, "Use 0..255.");
  });

  it("maps a missing file to exit 2, naming it", async () => {
    const error: unknown = await readFile("no/such/file.json").catch((caught: unknown) => caught);
    const report = describeError(error);
    assert.equal(report.exitCode, ExitCode.usage);
    assert.equal(report.summary, "no/such/file.json: file not found");
  });

  it("treats anything else as a bug: exit 70, with the stack", () => {
    const report = describeError(new TypeError("x is undefined"));
    assert.equal(report.exitCode, ExitCode.internal);
    assert.match(report.summary, /^internal error: x is undefined$/u);
    assert.match(report.stack ?? "", /errors\.test\.ts/u);
  });
});

describe("printError", () => {
  it("prints a summary line and a next-step line, no stack for user errors", () => {
    let text = "";
    printError(
      describeError(new CliUsageError("bad", "Do this.")),
      false,
      (chunk) => (text += chunk),
    );
    assert.equal(text, "ei: bad\n  next: Do this.\n");
  });

  it("prints one JSON line with --json", () => {
    let text = "";
    printError(
      describeError(new CliUsageError("bad", "Do this.")),
      true,
      (chunk) => (text += chunk),
    );
    assert.deepEqual(JSON.parse(text), {
      error: { code: "CliUsageError", summary: "bad", nextStep: "Do this.", exitCode: 2 },
    });
  });
});
