/**
 * The worker thread of `rangeFetcher.ts`: fetches each range it is asked for (several at once, as
 * they come) and posts it back, or the error it met.
 */
import { parentPort, workerData } from "node:worker_threads";
import { fetchBlockRange } from "./fetchBlockRange.ts";
import { httpJsonRpcBatch } from "./jsonRpcBatch.ts";
import {
  wantedLogs,
  type RangeWorkerAnswer,
  type RangeWorkerData,
  type RangeWorkerRequest,
} from "./rangeFetcher.ts";

const port = parentPort;
if (port === null) throw new Error("fetchRangeWorker.ts runs as a worker thread only");
const data = workerData as RangeWorkerData;
const rpc = httpJsonRpcBatch(data.endpoint, data.batch);
const wanted = wantedLogs(data.filter);

port.on("message", (request: RangeWorkerRequest) => {
  const { id, ...range } = request;
  fetchBlockRange(rpc, range, wanted).then(
    (fetched) => {
      const answer: RangeWorkerAnswer = { id, range: fetched };
      port.postMessage(answer);
    },
    (error: unknown) => {
      const { name, message, code } =
        error instanceof Error
          ? { name: error.name, message: error.message, code: (error as { code?: unknown }).code }
          : { name: "Error", message: String(error), code: undefined };
      const answer: RangeWorkerAnswer = {
        id,
        error: { name, message, code: typeof code === "number" ? code : undefined },
      };
      port.postMessage(answer);
    },
  );
});
const ready: RangeWorkerAnswer = { ready: true };
port.postMessage(ready);
