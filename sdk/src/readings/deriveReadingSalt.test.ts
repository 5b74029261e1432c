import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { InvalidInputError } from "../errors/index.ts";
import { createReadingSaltDeriver } from "./createReadingSaltDeriver.ts";
import { deriveReadingSalt } from "./deriveReadingSalt.ts";

const secret = new Uint8Array(32).map((_, i) => i);
const deviceId = `0x${"a1".repeat(32)}` as const;

/** The documented layout, built independently with node:crypto. */
function reference(channel: number, sequence: bigint): string {
  const message = Buffer.alloc(62);
  message.write("ei-reading-salt-v1", 0, "ascii");
  Buffer.from(deviceId.slice(2), "hex").copy(message, 18);
  message.writeUInt32BE(channel, 50);
  message.writeBigUInt64BE(sequence, 54);
  return `0x${createHmac("sha256", secret).update(message).digest("hex")}`;
}

describe("deriveReadingSalt", () => {
  it("is HMAC-SHA256(siteSecret, domain || deviceId || channel u32 BE || sequence u64 BE)", () => {
    for (const [channel, sequence] of [
      [0, 0n],
      [1, 42n],
      [2 ** 32 - 1, (1n << 64n) - 1n],
    ] as const) {
      assert.equal(
        deriveReadingSalt(secret, deviceId, channel, sequence),
        reference(channel, sequence),
      );
    }
  });

  it("is deterministic, the same from a hex secret and from a reused deriver", () => {
    const hexSecret = `0x${Buffer.from(secret).toString("hex")}` as const;
    const derive = createReadingSaltDeriver(secret);
    assert.equal(derive(deviceId, 3, 7n), deriveReadingSalt(hexSecret, deviceId, 3, 7n));
    assert.equal(derive(deviceId, 3, 7n), derive(deviceId, 3, 7n));
    assert.notEqual(derive(deviceId, 3, 7n), derive(deviceId, 3, 8n));
    assert.notEqual(derive(deviceId, 3, 7n), derive(deviceId, 4, 7n));
  });

  it("rejects a short secret and out-of-range fields with their names", () => {
    const pathOf = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        assert.ok(error instanceof InvalidInputError);
        return error.path;
      }
      return "(no error)";
    };
    assert.equal(
      pathOf(() => deriveReadingSalt(new Uint8Array(8), deviceId, 0, 0n)),
      "siteSecret",
    );
    assert.equal(
      pathOf(() => deriveReadingSalt(secret, "0x12", 0, 0n)),
      "deviceId",
    );
    assert.equal(
      pathOf(() => deriveReadingSalt(secret, deviceId, -1, 0n)),
      "channel",
    );
    assert.equal(
      pathOf(() => deriveReadingSalt(secret, deviceId, 0, 1n << 64n)),
      "sequence",
    );
  });
});
