import type { DeviceMessage } from "@energy-intelligence/sdk";

/** How a message reached the gateway. */
export type Transport = "mqtt" | "http" | "adapter";

/** A message that passed the stateless checks (shape, device, signature, clock) and waits for commit. */
export interface PendingMessage {
  deviceRef: number;
  transport: Transport;
  receivedAtMs: number;
  message: DeviceMessage;
}

/** Things ingest records in `ingest_events` (and counts), beside or instead of storing readings. */
export type IngestEventKind =
  | "sequence_gap"
  | "out_of_order"
  | "counter_reset"
  | "timestamp_not_increasing"
  | "partial_duplicate"
  | "counter_backwards"
  | "replayed_sequence";

/** What the store did with one message. */
export type WriteOutcome =
  | {
      status: "stored";
      messageId: number;
      storedReadings: number;
      duplicateReadings: number;
      events: IngestEventKind[];
    }
  | { status: "duplicate"; duplicateReadings: number }
  | { status: "rejected"; reason: "replayed_sequence" | "counter_backwards"; detail: string };

/** Commits batches of pending messages; inline or on a worker thread. */
export interface IngestWriter {
  write(batch: PendingMessage[]): Promise<WriteOutcome[]>;
  close(): Promise<void>;
}
