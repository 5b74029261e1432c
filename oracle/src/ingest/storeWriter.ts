import type { Database, Statement, Transaction } from "better-sqlite3";
import type { DeviceReading } from "@energy-intelligence/sdk";
import type { IngestEventKind, PendingMessage, WriteOutcome } from "./ingestTypes.ts";
import type { ReadingRow } from "../store/readingRow.ts";

const QUALITY_CODE = { measured: 0, estimated: 1, imported: 2 } as const;
const QUALITY_NAME = ["measured", "estimated", "imported"] as const;
/** Columns bound per reading, and readings per INSERT statement at most (13 × 64 = 832 parameters). */
const ROW_COLUMNS = 13;
const ROWS_PER_INSERT = 64;

type EventList = [IngestEventKind, number, number, Record<string, unknown>][];

interface ChannelState {
  sequence: number;
  timestampMs: number;
  imported: string;
  exported: string;
  epoch: number;
}

interface DeviceState {
  maxSequence: number;
  channels: Map<number, ChannelState>;
}

type StoredReadingRow = ReadingRow;

/** Compares non-negative decimal strings without leading zeros, without parsing them. */
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Binds a decimal counter: a number while exact, a bigint above 2^53. */
function counterParameter(value: string): number | bigint {
  return value.length <= 15 ? Number(value) : BigInt(value);
}

function optionalEqual(stored: bigint | null, given: number | undefined): boolean {
  return stored === null ? given === undefined : given !== undefined && stored === BigInt(given);
}

function sameReading(row: StoredReadingRow, reading: DeviceReading): boolean {
  return (
    row.channel === BigInt(reading.channel) &&
    row.timestamp_ms === BigInt(reading.timestampMs) &&
    row.energy_imported_milliwatt_hours.toString() === reading.energyImportedMilliWattHours &&
    row.energy_exported_milliwatt_hours.toString() === reading.energyExportedMilliWattHours &&
    optionalEqual(row.counter_epoch, reading.counterEpoch) &&
    optionalEqual(row.power_milliwatts, reading.powerMilliWatts) &&
    optionalEqual(row.voltage_millivolts, reading.voltageMillivolts) &&
    optionalEqual(row.current_milliamps, reading.currentMilliamps) &&
    optionalEqual(row.power_factor_per_mille, reading.powerFactorPerMille) &&
    QUALITY_NAME[Number(row.quality)] === reading.quality
  );
}

function channelStateOf(row: StoredReadingRow): ChannelState {
  return {
    sequence: Number(row.sequence),
    timestampMs: Number(row.timestamp_ms),
    imported: row.energy_imported_milliwatt_hours.toString(),
    exported: row.energy_exported_milliwatt_hours.toString(),
    epoch: Number(row.counter_epoch ?? 0n),
  };
}

/** Thrown inside a message's savepoint to undo its rows; caught by the batch loop. */
class MessageRejected extends Error {
  readonly reason: "replayed_sequence" | "counter_backwards";
  readonly event: { channel: number; sequence: number; detail: Record<string, unknown> };
  constructor(
    reason: "replayed_sequence" | "counter_backwards",
    event: { channel: number; sequence: number; detail: Record<string, unknown> },
  ) {
    super(reason);
    this.reason = reason;
    this.event = event;
  }
}

/** Thrown inside a message's savepoint when every reading was already stored. */
class AllDuplicates extends Error {}

/**
 * The one writer of readings: decides, per message and in arrival order, what
 * is new, what is a retransmission and what must be refused, and commits a
 * whole batch of messages in one transaction (group commit: one fsync for many
 * acknowledgements). A message is atomic: each runs in a savepoint, so a
 * refused message leaves no rows while the rest of the batch commits.
 *
 * Per-device state (highest sequence, last reading per channel) is cached so the
 * common case, the next reading in order, needs no query; anything else (late,
 * repeated) is checked against the stored rows. The cache is dropped whenever a
 * transaction fails, so it never runs ahead of the database.
 */
export class StoreWriter {
  readonly #db: Database;
  readonly #states = new Map<number, DeviceState>();
  readonly #insertMessage: Statement;
  /** INSERT statements of 1…ROWS_PER_INSERT rows, prepared when first needed. */
  readonly #insertReadings = new Map<number, Statement>();
  /** Bound values of readings decided but not yet inserted (ROW_COLUMNS per reading). */
  readonly #rowValues: (number | bigint | null)[] = [];
  readonly #insertEvent: Statement;
  readonly #maxSequence: Statement;
  readonly #lastOnChannel: Statement;
  readonly #byKey: Statement;
  readonly #predecessor: Statement;
  readonly #successor: Statement;
  readonly #writeBatch: Transaction<(batch: PendingMessage[]) => WriteOutcome[]>;
  readonly #writeMessage: (
    pending: PendingMessage,
    events: [IngestEventKind, number, number, Record<string, unknown>][],
  ) => {
    messageId: number;
    stored: number;
    duplicates: number;
    state: DeviceState;
  };

  constructor(db: Database) {
    this.#db = db;
    this.#insertMessage = db.prepare(
      `INSERT INTO messages (device_ref, transport, format, auth_scheme, signature, sent_at_ms, received_at_ms, reading_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertEvent = db.prepare(
      "INSERT INTO ingest_events (at_ms, device_ref, kind, channel, sequence, detail) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.#maxSequence = db.prepare("SELECT max(sequence) AS s FROM readings WHERE device_ref = ?");
    const columns = `channel, sequence, timestamp_ms, energy_imported_milliwatt_hours, energy_exported_milliwatt_hours,
      counter_epoch, power_milliwatts, voltage_millivolts, current_milliamps, power_factor_per_mille, quality`;
    this.#lastOnChannel = db
      .prepare(
        `SELECT ${columns} FROM readings WHERE device_ref = ? AND channel = ? ORDER BY sequence DESC LIMIT 1`,
      )
      .safeIntegers(true);
    this.#byKey = db
      .prepare(`SELECT ${columns} FROM readings WHERE device_ref = ? AND sequence = ?`)
      .safeIntegers(true);
    this.#predecessor = db
      .prepare(
        `SELECT ${columns} FROM readings WHERE device_ref = ? AND channel = ? AND sequence < ? ORDER BY sequence DESC LIMIT 1`,
      )
      .safeIntegers(true);
    this.#successor = db
      .prepare(
        `SELECT ${columns} FROM readings WHERE device_ref = ? AND channel = ? AND sequence > ? ORDER BY sequence ASC LIMIT 1`,
      )
      .safeIntegers(true);
    this.#writeMessage = db.transaction((pending: PendingMessage, events: EventList) =>
      this.#applyMessage(pending, events),
    );
    this.#writeBatch = db.transaction((batch: PendingMessage[]) =>
      batch.map((pending) => this.#decide(pending)),
    );
  }

  /**
   * Commits a batch in one transaction and says what happened to each message,
   * in order. Throws (committing nothing) when the database fails.
   */
  write(batch: PendingMessage[]): WriteOutcome[] {
    try {
      // IMMEDIATE: the batch reads before it writes, and the gateway's main thread writes this file
      // too; a deferred transaction would get SQLITE_BUSY at its first write instead of waiting.
      return this.#writeBatch.immediate(batch);
    } catch (error) {
      this.#states.clear();
      this.#rowValues.length = 0;
      throw error;
    }
  }

  #state(deviceRef: number): DeviceState {
    let state = this.#states.get(deviceRef);
    if (state === undefined) {
      const row = this.#maxSequence.get(deviceRef) as { s: number | null };
      state = { maxSequence: row.s ?? -1, channels: new Map() };
      this.#states.set(deviceRef, state);
    }
    return state;
  }

  #channel(deviceRef: number, state: DeviceState, channel: number): ChannelState | undefined {
    const cached = state.channels.get(channel);
    if (cached !== undefined) return cached;
    const row = this.#lastOnChannel.get(deviceRef, channel) as StoredReadingRow | undefined;
    if (row === undefined) return undefined;
    const loaded = channelStateOf(row);
    state.channels.set(channel, loaded);
    return loaded;
  }

  #decide(pending: PendingMessage): WriteOutcome {
    const events: [IngestEventKind, number, number, Record<string, unknown>][] = [];
    const { deviceRef, receivedAtMs } = pending;
    try {
      const result = this.#writeMessage(pending, events);
      for (const [kind, channel, sequence, detail] of events) {
        this.#insertEvent.run(
          receivedAtMs,
          deviceRef,
          kind,
          channel,
          sequence,
          JSON.stringify(detail),
        );
      }
      this.#states.set(deviceRef, result.state);
      return {
        status: "stored",
        messageId: result.messageId,
        storedReadings: result.stored,
        duplicateReadings: result.duplicates,
        events: events.map(([kind]) => kind),
      };
    } catch (error) {
      // Readings of the undone message not yet inserted are dropped with it.
      this.#rowValues.length = 0;
      if (error instanceof AllDuplicates) {
        return { status: "duplicate", duplicateReadings: pending.message.readings.length };
      }
      if (error instanceof MessageRejected) {
        const { channel, sequence, detail } = error.event;
        this.#insertEvent.run(
          receivedAtMs,
          deviceRef,
          error.reason,
          channel,
          sequence,
          JSON.stringify(detail),
        );
        return { status: "rejected", reason: error.reason, detail: JSON.stringify(detail) };
      }
      throw error;
    }
  }

  /** Runs inside the message's savepoint; throws to undo it. Returns the device state after it. */
  #applyMessage(
    pending: PendingMessage,
    events: [IngestEventKind, number, number, Record<string, unknown>][],
  ): { messageId: number; stored: number; duplicates: number; state: DeviceState } {
    const { deviceRef, message } = pending;
    const base = this.#state(deviceRef);
    // Work on a copy: the cache changes only when the savepoint is released.
    const state: DeviceState = { maxSequence: base.maxSequence, channels: new Map(base.channels) };
    const signature =
      "signature" in message.auth ? Buffer.from(message.auth.signature.slice(2), "hex") : null;
    const messageId = Number(
      this.#insertMessage.run(
        deviceRef,
        pending.transport,
        message.format,
        message.auth.scheme,
        signature,
        message.sentAtMs,
        pending.receivedAtMs,
        message.readings.length,
      ).lastInsertRowid,
    );
    let stored = 0;
    let duplicates = 0;
    for (const reading of message.readings) {
      const { channel, sequence } = reading;
      const epoch = reading.counterEpoch ?? 0;
      if (sequence > state.maxSequence) {
        const previous = this.#channel(deviceRef, state, channel);
        if (previous !== undefined) this.#checkOrder(previous, reading, epoch, events);
        if (state.maxSequence >= 0 && sequence > state.maxSequence + 1) {
          events.push([
            "sequence_gap",
            channel,
            sequence,
            { from: state.maxSequence + 1, to: sequence - 1 },
          ]);
        }
        state.maxSequence = sequence;
        state.channels.set(channel, {
          sequence,
          timestampMs: reading.timestampMs,
          imported: reading.energyImportedMilliWattHours,
          exported: reading.energyExportedMilliWattHours,
          epoch,
        });
      } else {
        // The queries below must see this message's earlier readings.
        this.#flushRows();
        const existing = this.#byKey.get(deviceRef, sequence) as StoredReadingRow | undefined;
        if (existing !== undefined) {
          if (!sameReading(existing, reading)) {
            throw new MessageRejected("replayed_sequence", {
              channel,
              sequence,
              detail: { sequence, stored: channelStateOf(existing), received: reading },
            });
          }
          duplicates++;
          continue;
        }
        // A late reading: it must fit between its stored neighbours on the channel.
        const before = this.#predecessor.get(deviceRef, channel, sequence) as
          StoredReadingRow | undefined;
        const after = this.#successor.get(deviceRef, channel, sequence) as
          StoredReadingRow | undefined;
        if (before !== undefined) this.#checkOrder(channelStateOf(before), reading, epoch, events);
        if (after !== undefined) {
          const next = channelStateOf(after);
          if (
            next.epoch < epoch ||
            (next.epoch === epoch &&
              (compareDecimal(next.imported, reading.energyImportedMilliWattHours) < 0 ||
                compareDecimal(next.exported, reading.energyExportedMilliWattHours) < 0))
          ) {
            throw new MessageRejected("counter_backwards", {
              channel,
              sequence,
              detail: { next, received: reading },
            });
          }
        }
        events.push(["out_of_order", channel, sequence, { highestSequence: state.maxSequence }]);
      }
      this.#rowValues.push(
        messageId,
        deviceRef,
        channel,
        sequence,
        reading.timestampMs,
        counterParameter(reading.energyImportedMilliWattHours),
        counterParameter(reading.energyExportedMilliWattHours),
        reading.counterEpoch ?? null,
        reading.powerMilliWatts ?? null,
        reading.voltageMillivolts ?? null,
        reading.currentMilliamps ?? null,
        reading.powerFactorPerMille ?? null,
        QUALITY_CODE[reading.quality],
      );
      stored++;
    }
    this.#flushRows();
    if (stored === 0) throw new AllDuplicates();
    if (duplicates > 0) {
      const first = message.readings[0];
      events.push([
        "partial_duplicate",
        first?.channel ?? 0,
        first?.sequence ?? 0,
        { duplicates, stored },
      ]);
    }
    return { messageId, stored, duplicates, state };
  }

  /**
   * Inserts the readings decided so far, ROWS_PER_INSERT to a statement: one
   * call into SQLite per row was most of the writer's cost per reading.
   */
  #flushRows(): void {
    const values = this.#rowValues;
    let offset = 0;
    while (offset < values.length) {
      const rows = Math.min(ROWS_PER_INSERT, (values.length - offset) / ROW_COLUMNS);
      const end = offset + rows * ROW_COLUMNS;
      this.#insertStatement(rows).run(values.slice(offset, end));
      offset = end;
    }
    values.length = 0;
  }

  #insertStatement(rows: number): Statement {
    let statement = this.#insertReadings.get(rows);
    if (statement === undefined) {
      const tuple = `(${Array.from({ length: ROW_COLUMNS }, () => "?").join(", ")})`;
      statement = this.#db.prepare(
        `INSERT INTO readings (message_id, device_ref, channel, sequence, timestamp_ms,
           energy_imported_milliwatt_hours, energy_exported_milliwatt_hours, counter_epoch,
           power_milliwatts, voltage_millivolts, current_milliamps, power_factor_per_mille, quality)
         VALUES ${Array.from({ length: rows }, () => tuple).join(", ")}`,
      );
      this.#insertReadings.set(rows, statement);
    }
    return statement;
  }

  /** A reading after `previous` on its channel: counters must not fall unless the epoch moved on. */
  #checkOrder(
    previous: ChannelState,
    reading: DeviceReading,
    epoch: number,
    events: [IngestEventKind, number, number, Record<string, unknown>][],
  ): void {
    const { channel, sequence } = reading;
    if (epoch < previous.epoch) {
      throw new MessageRejected("counter_backwards", {
        channel,
        sequence,
        detail: { previous, received: reading, problem: "counterEpoch decreased" },
      });
    }
    if (epoch > previous.epoch) {
      events.push([
        "counter_reset",
        channel,
        sequence,
        { previousEpoch: previous.epoch, epoch, previous },
      ]);
      return;
    }
    if (
      compareDecimal(reading.energyImportedMilliWattHours, previous.imported) < 0 ||
      compareDecimal(reading.energyExportedMilliWattHours, previous.exported) < 0
    ) {
      throw new MessageRejected("counter_backwards", {
        channel,
        sequence,
        detail: { previous, received: reading },
      });
    }
    if (reading.timestampMs <= previous.timestampMs) {
      events.push([
        "timestamp_not_increasing",
        channel,
        sequence,
        { previousTimestampMs: previous.timestampMs },
      ]);
    }
  }

  /** Closes the database connection (after the last write). */
  close(): void {
    this.#db.close();
  }
}
