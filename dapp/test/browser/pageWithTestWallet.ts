import type { Browser, Page } from "playwright-core";
import type { LocalAccount } from "viem";
import { TestWallet } from "../operatorTestWallet.ts";

/**
 * A page with a test wallet injected the way browser wallets do it: `window.ethereum` plus an
 * EIP-6963 announcement ("EI Test Wallet"). Each request is answered in Node by a TestWallet
 * holding `account`'s key (reads go to the node at `rpcUrl`); errors keep their EIP-1193 code.
 * `walletChainId` puts the wallet on another chain than the node's, as a wallet left elsewhere.
 */
export async function pageWithTestWallet(
  browser: Browser,
  options: { rpcUrl: string; account: LocalAccount; chainId: number; walletChainId?: number },
): Promise<{ page: Page; wallet: TestWallet }> {
  const wallet = new TestWallet({
    rpcUrl: options.rpcUrl,
    account: options.account,
    chainId: options.chainId,
  });
  if (options.walletChainId !== undefined && options.walletChainId !== options.chainId)
    wallet.setChain(options.walletChainId);
  const page = await browser.newPage();
  await page.exposeFunction(
    "__eiWalletRequest",
    async (args: { method: string; params?: unknown[] }) => {
      try {
        return { ok: true, result: await wallet.request(args) };
      } catch (error) {
        const { code, message } = error as { code?: number; message: string };
        return { ok: false, code: code ?? -32603, message };
      }
    },
  );
  wallet.on("chainChanged", (value) => {
    void page
      .evaluate((id) => {
        (
          globalThis as unknown as { __eiWalletEmit: (event: string, value: unknown) => void }
        ).__eiWalletEmit("chainChanged", id);
      }, value)
      .catch(() => undefined);
  });
  await page.addInitScript(() => {
    type Listener = (value: unknown) => void;
    // The page's window, typed by hand: this file is type-checked without the DOM library.
    const win = globalThis as unknown as {
      __eiWalletRequest: (
        args: unknown,
      ) => Promise<{ ok: boolean; result?: unknown; code?: number; message?: string }>;
      __eiWalletEmit: (event: string, value: unknown) => void;
      ethereum: unknown;
      dispatchEvent(event: Event): boolean;
      addEventListener(type: string, listener: () => void): void;
    };
    const listeners = new Map<string, Set<Listener>>();
    const bridge = win.__eiWalletRequest;
    const provider = {
      isEiTestWallet: true,
      async request(args: { method: string; params?: unknown[] }) {
        const answer = await bridge(args);
        if (answer.ok) return answer.result;
        throw Object.assign(new Error(answer.message), { code: answer.code });
      },
      on(event: string, listener: Listener) {
        const set = listeners.get(event) ?? new Set<Listener>();
        set.add(listener);
        listeners.set(event, set);
        return provider;
      },
      removeListener(event: string, listener: Listener) {
        listeners.get(event)?.delete(listener);
        return provider;
      },
    };
    win.__eiWalletEmit = (event, value) => {
      for (const listener of listeners.get(event) ?? []) listener(value);
    };
    win.ethereum = provider;
    const info = {
      uuid: "6f1c3d0e-2b7a-4c55-9a51-e1e1e1e1e1e1",
      name: "EI Test Wallet",
      icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/%3E",
      rdns: "dev.energy-intelligence.testwallet",
    };
    const announce = () => {
      win.dispatchEvent(
        new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }),
      );
    };
    win.addEventListener("eip6963:requestProvider", announce);
    announce();
  });
  return { page, wallet };
}
