import type { Address } from "viem";

/**
 * One queue per sending account (chain id + address) for the whole process.
 *
 * The anchorer, the stamp submitter and the lot minter each pick a nonce with
 * `getTransactionCount(pending)` and then broadcast. When they share one key
 * (no `jobs.relayerKeyFile`: the oracle pays for everything), two of them can
 * read the same pending count before either broadcasts, and the second
 * transaction then replaces or is refused in place of the first. Running
 * "read the nonce … broadcast" under this queue makes it one critical section
 * per account: the node counts the first transaction as pending before the
 * next sender reads the count. Different accounts never wait on each other.
 */
export class AccountSendQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /**
   * Runs `send` after every earlier `send` of the same account has settled
   * (resolved or thrown). `send` must broadcast before it resolves; waiting for
   * the receipt belongs outside, so the next sender is not held up by mining.
   */
  run<T>(account: { chainId: number; address: Address }, send: () => Promise<T>): Promise<T> {
    const key = `${account.chainId}:${account.address.toLowerCase()}`;
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(send, send);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget an idle account, so the map does not grow with every key ever used.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Accounts with a send queued or running (tests, metrics). */
  get busyAccounts(): number {
    return this.#tails.size;
  }
}

/**
 * The process's queue: every sender of the gateway (anchorer, stamp submitter,
 * lot minter) goes through it, so two gateways' parts in one process are safe too.
 */
export const accountSendQueue = new AccountSendQueue();
