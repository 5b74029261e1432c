import { open, readFile, type FileHandle } from "node:fs/promises";
import { z } from "zod";

/**
 * The chain journal: what a Hardhat node mined, block by block, so that a node started again with
 * the same genesis can mine the same chain (`replayChainJournal`). EDR keeps its chain in memory
 * only and has no state dump, so the blocks' signed transactions and timestamps are the state.
 *
 * One JSON object per line, appended and fsync'd: a header, then blocks (with their transactions'
 * raw signed bytes) and runs of empty blocks (one line for many blocks mined at a fixed interval).
 * A crash can tear the last line only; a reader drops it, and the writer cuts it off before it
 * appends again.
 */
export const CHAIN_JOURNAL_FORMAT = "ei-chain-journal-v1";

const hash = z.string().regex(/^0x[0-9a-f]{64}$/u);
const rawTransaction = z.string().regex(/^0x(?:[0-9a-f]{2})+$/u);

const headerSchema = z.strictObject({
  kind: z.literal("header"),
  format: z.literal(CHAIN_JOURNAL_FORMAT),
  chainId: z.int().positive(),
  /** The node's initialDate, which fixes the genesis block's timestamp and so its hash. */
  initialDate: z.iso.datetime(),
  genesisHash: hash,
});

const blockSchema = z.strictObject({
  kind: z.literal("block"),
  number: z.int().positive(),
  timestamp: z.int().nonnegative(),
  hash,
  /** Each transaction's signed bytes (what eth_sendRawTransaction takes), in block order. */
  transactions: z.array(rawTransaction).min(1),
});

const emptyRunSchema = z.strictObject({
  kind: z.literal("empty"),
  /** The first block of the run. */
  number: z.int().positive(),
  count: z.int().positive(),
  /** The first block's timestamp; block i of the run has timestamp + i × intervalSeconds. */
  timestamp: z.int().nonnegative(),
  intervalSeconds: z.int().positive(),
  /** The run's last block's hash: it commits to every block before it. */
  hash,
});

/** A block the recorder could not journal (a transaction it cannot rebuild): resume is impossible. */
const gapSchema = z.strictObject({
  kind: z.literal("unjournaled"),
  number: z.int().positive(),
  reason: z.string(),
});

const entrySchema = z.discriminatedUnion("kind", [blockSchema, emptyRunSchema, gapSchema]);

export type ChainJournalHeader = z.output<typeof headerSchema>;
export type JournaledBlock = z.output<typeof blockSchema>;
export type JournaledEmptyRun = z.output<typeof emptyRunSchema>;
export type JournalEntry = z.output<typeof entrySchema>;

export class ChainJournalError extends Error {
  override name = "ChainJournalError";
}

/** The last block an entry covers. */
export function lastBlockOf(entry: JournalEntry): number {
  return entry.kind === "empty" ? entry.number + entry.count - 1 : entry.number;
}

export interface ChainJournal {
  header: ChainJournalHeader;
  entries: JournalEntry[];
  /** The last journaled block number (0: only the genesis). */
  head: number;
  /** The last journaled block's timestamp (the genesis's when none). */
  headTimestamp: number | undefined;
  /** Bytes of complete lines: a torn last line starts here. */
  validLength: number;
  /** Whether a torn last line (a crash while appending) was dropped. */
  tornTail: boolean;
}

function parseLine(line: string, lineNumber: number, file: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    throw new ChainJournalError(`${file}: line ${lineNumber} is not JSON`);
  }
}

/**
 * Reads a journal, checking that its blocks follow one another from block 1. A last line that is
 * not a complete, valid entry is a torn write and dropped (`tornTail`); anything else wrong is a
 * ChainJournalError naming the line.
 */
export async function readChainJournal(file: string): Promise<ChainJournal> {
  const text = await readFile(file, "utf8");
  const lines = text.split("\n");
  // The segment after the last newline is either empty or a line whose write did not finish.
  const unterminated = lines.pop() ?? "";
  let tornTail = unterminated !== "";
  if (lines.length > 0) {
    const last = lines[lines.length - 1] ?? "";
    let lastValid = true;
    try {
      entrySchema.or(headerSchema).parse(JSON.parse(last));
    } catch {
      lastValid = false;
    }
    if (!lastValid && lines.length > 1) {
      // A crash can leave a complete-looking but garbled last line (zero bytes after power loss).
      lines.pop();
      tornTail = true;
    }
  }
  const validLength = Buffer.byteLength(lines.map((line) => `${line}\n`).join(""));
  const [headerLine, ...entryLines] = lines;
  if (headerLine === undefined) throw new ChainJournalError(`${file}: no header line`);
  const header = headerSchema.safeParse(parseLine(headerLine, 1, file));
  if (!header.success)
    throw new ChainJournalError(`${file}: line 1 is not an ${CHAIN_JOURNAL_FORMAT} header`);
  const entries: JournalEntry[] = [];
  let head = 0;
  let headTimestamp: number | undefined;
  entryLines.forEach((line, index) => {
    const lineNumber = index + 2;
    const parsed = entrySchema.safeParse(parseLine(line, lineNumber, file));
    if (!parsed.success)
      throw new ChainJournalError(
        `${file}: line ${lineNumber} is not a journal entry (${parsed.error.issues[0]?.message ?? "invalid"})`,
      );
    const entry = parsed.data;
    if (entry.number !== head + 1)
      throw new ChainJournalError(
        `${file}: line ${lineNumber} starts at block ${entry.number}, but the line before ends at block ${head}`,
      );
    if (entry.kind !== "unjournaled") {
      if (headTimestamp !== undefined && entry.timestamp <= headTimestamp)
        throw new ChainJournalError(
          `${file}: line ${lineNumber}: block ${entry.number}'s timestamp is not after block ${head}'s`,
        );
      headTimestamp =
        entry.kind === "empty"
          ? entry.timestamp + (entry.count - 1) * entry.intervalSeconds
          : entry.timestamp;
    }
    head = lastBlockOf(entry);
    entries.push(entry);
  });
  return { header: header.data, entries, head, headTimestamp, validLength, tornTail };
}

/** Appends entries to a journal, each batch written in one call and fsync'd before it returns. */
export class ChainJournalWriter {
  readonly #handle: FileHandle;
  #closed = false;

  private constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  /** Starts a new journal with its header (refuses an existing file). */
  static async create(file: string, header: Omit<ChainJournalHeader, "kind" | "format">) {
    const handle = await open(file, "wx");
    const writer = new ChainJournalWriter(handle);
    await writer.#write([
      headerSchema.parse({ kind: "header", format: CHAIN_JOURNAL_FORMAT, ...header }),
    ]);
    return writer;
  }

  /** Opens a journal to append after `journal` (as read): a torn last line is cut off first. */
  static async append(file: string, journal: ChainJournal): Promise<ChainJournalWriter> {
    const handle = await open(file, "r+");
    try {
      await handle.truncate(journal.validLength);
      await handle.sync();
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new ChainJournalWriter(handle);
  }

  async write(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#write(entries.map((entry) => entrySchema.parse(entry)));
  }

  async #write(entries: readonly unknown[]): Promise<void> {
    if (this.#closed) throw new ChainJournalError("the chain journal is closed");
    const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join("");
    // Position-less writes on a handle opened r+ would overwrite: append at the end explicitly.
    const { size } = await this.#handle.stat();
    await this.#handle.write(text, size, "utf8");
    await this.#handle.sync();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#handle.close();
  }
}
