/**
 * The body of the writer thread: owns its own connection to the store and runs
 * {@link StoreWriter} for batches posted by {@link createWorkerWriter}, so
 * SQLite inserts and the commit's fsync never block the thread that parses,
 * authenticates and acknowledges messages.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../store/openStore.ts";
import type { PendingMessage } from "./ingestTypes.ts";
import { StoreWriter } from "./storeWriter.ts";

interface WriterWorkerData {
  dataDir: string;
}

const port = parentPort;
if (port === null) throw new Error("writerWorker.ts must run as a worker thread");
const { dataDir } = workerData as WriterWorkerData;
const writer = new StoreWriter(openStore({ dataDir }));

port.on(
  "message",
  (request: { id: number; batch: PendingMessage[] } | { id: number; close: true }) => {
    if ("close" in request) {
      writer.close();
      port.postMessage({ id: request.id, closed: true });
      return;
    }
    try {
      port.postMessage({ id: request.id, outcomes: writer.write(request.batch) });
    } catch (error) {
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  },
);
port.postMessage({ ready: true });
