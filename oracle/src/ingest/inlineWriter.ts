import type { Database } from "better-sqlite3";
import type { IngestWriter, PendingMessage, WriteOutcome } from "./ingestTypes.ts";
import { StoreWriter } from "./storeWriter.ts";

/**
 * Commits on the calling thread. Simple, but the event loop stalls for each
 * transaction's fsync; the gateway uses {@link createWorkerWriter} unless told
 * otherwise, tests and tools use this.
 */
export function createInlineWriter(db: Database): IngestWriter {
  const writer = new StoreWriter(db);
  return {
    write(batch: PendingMessage[]): Promise<WriteOutcome[]> {
      try {
        return Promise.resolve(writer.write(batch));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
