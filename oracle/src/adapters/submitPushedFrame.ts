import type { ProtocolReading } from "@energy-intelligence/sdk/protocols/index";
import type { AdapterHealth } from "./adapterHealth.ts";
import type { AdapterReadingSink } from "./adapterReadingSink.ts";
import { describeAdapterError } from "./describeAdapterError.ts";

/**
 * One frame from a device that pushes (a P1 telegram, an emon frame, a pulse
 * count): decodes it with `decode`, submits the readings and tells the health
 * registry. Stored or already stored is a success; a refusal by ingest, or a
 * frame that does not decode (its ProtocolFrameError reason), is a rejected
 * frame, counted and recorded, and the adapter reads on. `onStored` runs
 * before the success is recorded, so a caller's own state (a pulse total)
 * advances only with what is in the store.
 */
export async function submitPushedFrame(
  target: { name: string; sink: AdapterReadingSink; health: AdapterHealth },
  receivedAtMs: number,
  decode: () => readonly ProtocolReading[],
  onStored?: () => void,
): Promise<void> {
  const { name, sink, health } = target;
  try {
    const outcome = await sink.submit(decode());
    if (outcome.status === "rejected") {
      health.rejectedFrame(sink.deviceId, name, outcome.reason, outcome.detail);
      return;
    }
    onStored?.();
    health.succeeded(
      sink.deviceId,
      receivedAtMs,
      outcome.status === "stored" ? outcome.storedReadings : 0,
    );
  } catch (error) {
    const { reason, detail } = describeAdapterError(error);
    health.rejectedFrame(sink.deviceId, name, reason, detail);
  }
}
