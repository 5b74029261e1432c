/**
 * Settles with `promise`, or rejects with the signal's reason (a
 * TimeoutError from AbortSignal.timeout) as soon as it aborts: for clients
 * that take no AbortSignal themselves. The abandoned operation is the
 * caller's to clean up (the scheduler resets the connection after a failure).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
