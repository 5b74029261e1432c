import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { accumulatePulseCount } from "./accumulatePulseCount.ts";
import type { PulseCounterState } from "./accumulatePulseCount.ts";

describe("accumulatePulseCount", () => {
  it("converts pulses to mWh with the meter constant", () => {
    assert.equal(
      accumulatePulseCount({ state: undefined, rawCount: 1500n, pulsesPerKilowattHour: 1000 })
        .energyMilliWattHours,
      1_500_000n,
    );
    assert.equal(
      accumulatePulseCount({ state: undefined, rawCount: 1n, pulsesPerKilowattHour: 800 })
        .energyMilliWattHours,
      1250n,
    );
  });

  it("loses no pulse across restarts: the total equals every pulse ever counted", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(10_000), fc.boolean()), { maxLength: 30 }),
        (segments) => {
          let state: PulseCounterState | undefined;
          let counted = 0n;
          let raw = 0n;
          for (const [pulses, restart] of segments) {
            if (restart) raw = 0n;
            raw += BigInt(pulses);
            counted += BigInt(pulses);
            state = accumulatePulseCount({
              state,
              rawCount: raw,
              pulsesPerKilowattHour: 1000,
              restarted: restart,
            }).state;
          }
          assert.equal(state?.totalPulses ?? 0n, counted);
        },
      ),
    );
  });

  it("refuses a count that goes backwards without a restart flag", () => {
    const { state } = accumulatePulseCount({
      state: undefined,
      rawCount: 100n,
      pulsesPerKilowattHour: 1000,
    });
    assert.throws(
      () => accumulatePulseCount({ state, rawCount: 99n, pulsesPerKilowattHour: 1000 }),
      (error) => error instanceof ProtocolFrameError && error.reason === "counter-went-backwards",
    );
    assert.throws(
      () => accumulatePulseCount({ state, rawCount: 101n, pulsesPerKilowattHour: 0 }),
      (error) => error instanceof ProtocolFrameError && error.reason === "bad-value",
    );
  });
});
