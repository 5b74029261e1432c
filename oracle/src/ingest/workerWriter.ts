import { Worker } from "node:worker_threads";
import type { IngestWriter, PendingMessage, WriteOutcome } from "./ingestTypes.ts";

type Reply =
  | { ready: true }
  | { id: number; outcomes: WriteOutcome[] }
  | { id: number; error: string }
  | { id: number; closed: true };

/**
 * Commits on a dedicated worker thread with its own SQLite connection (see
 * writerWorker.ts). Resolves once the worker has committed, i.e. the fsync is
 * done: only then may a message be acknowledged.
 *
 * @example
 * ```ts
 * const writer = await createWorkerWriter({ dataDir });
 * const outcomes = await writer.write(batch);
 * ```
 */
export async function createWorkerWriter(options: { dataDir: string }): Promise<IngestWriter> {
  const worker = new Worker(new URL("./writerWorker.ts", import.meta.url), {
    workerData: { dataDir: options.dataDir },
  });
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve: (reply: Reply) => void; reject: (error: Error) => void }
  >();
  let failure: Error | undefined;

  const fail = (error: Error): void => {
    failure = error;
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const onReady = (reply: Reply): void => {
      if ("ready" in reply) {
        worker.off("message", onReady);
        worker.off("error", reject);
        resolve();
      }
    };
    worker.on("message", onReady);
    worker.once("error", reject);
  });
  worker.on("message", (reply: Reply) => {
    if ("ready" in reply) return;
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    entry?.resolve(reply);
  });
  worker.on("error", fail);
  worker.on("exit", (code) => {
    fail(new Error(`the store writer thread exited (code ${code})`));
  });

  const request = (message: { batch: PendingMessage[] } | { close: true }): Promise<Reply> => {
    if (failure !== undefined) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  };

  return {
    async write(batch: PendingMessage[]): Promise<WriteOutcome[]> {
      const reply = await request({ batch });
      if ("error" in reply) throw new Error(reply.error);
      if ("outcomes" in reply) return reply.outcomes;
      throw new Error("unexpected reply from the store writer thread");
    },
    async close(): Promise<void> {
      if (failure === undefined) await request({ close: true });
      await worker.terminate();
    },
  };
}
