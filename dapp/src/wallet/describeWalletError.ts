import { decodeJobStampsError } from "@energy-intelligence/sdk/jobs/decodeJobStampsError";

/** What went wrong with a wallet action, in the terms an operator can act on. */
export type WalletProblemKind =
  "no_wallet" | "wrong_network" | "missing_role" | "rejected" | "contract" | "unknown";

export interface WalletProblem {
  kind: WalletProblemKind;
  /** One line: what happened. */
  title: string;
  /** What to do about it. */
  hint: string;
  /** The contract's custom error name, when the chain refused. */
  errorName?: string;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  shortMessage?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** Every error in a viem / wagmi cause chain, outermost first. */
function chain(error: unknown): ErrorLike[] {
  const seen = new Set<unknown>();
  const out: ErrorLike[] = [];
  for (let current: unknown = error; typeof current === "object" && current !== null;) {
    if (seen.has(current)) break;
    seen.add(current);
    out.push(current);
    current = (current as ErrorLike).cause;
  }
  return out;
}

const NO_WALLET_ERRORS = new Set([
  "ProviderNotFoundError",
  "ConnectorNotConnectedError",
  "ConnectorAccountNotFoundError",
  "ConnectorNotFoundError",
  "AccountNotFoundError",
]);
const WRONG_NETWORK_ERRORS = new Set([
  "ChainMismatchError",
  "ConnectorChainMismatchError",
  "ChainNotConfiguredError",
]);

/**
 * Turns the error of a wallet action (connect, switch network, simulate,
 * sign, send) into words: no wallet, wrong network, missing role (the
 * contract's `Jobs_NotOperator`, decoded with the sdk), a rejected signature,
 * another contract refusal in plain words, or the wallet's own message.
 */
export function describeWalletError(
  error: unknown,
  context: { chainName: string; chainId: number },
): WalletProblem {
  const errors = chain(error);
  const names = new Set(errors.map((entry) => String(entry.name)));
  // EIP-1193 4001: the user said no in the wallet. viem wraps it as UserRejectedRequestError.
  if (names.has("UserRejectedRequestError") || errors.some((entry) => entry.code === 4001))
    return {
      kind: "rejected",
      title: "You rejected the request in your wallet.",
      hint: "Nothing was sent. Press the button again and confirm in the wallet to stamp.",
    };
  if (
    [...WRONG_NETWORK_ERRORS].some((name) => names.has(name)) ||
    errors.some((entry) => entry.code === 4902)
  )
    return {
      kind: "wrong_network",
      title: `Your wallet is on another network, not ${context.chainName} (chain ${context.chainId}).`,
      hint: `Switch the wallet to ${context.chainName}; nothing was sent.`,
    };
  if ([...NO_WALLET_ERRORS].some((name) => names.has(name)))
    return {
      kind: "no_wallet",
      title: "No wallet is connected.",
      hint: "Install a browser wallet (any EIP-6963 wallet), unlock it, and connect it here.",
    };
  const decoded = decodeJobStampsError(error);
  if (decoded !== undefined) {
    const missingRole =
      decoded.errorName === "Jobs_NotOperator" || decoded.errorName === "Jobs_SignerNotAuthorized";
    return {
      kind: missingRole ? "missing_role" : "contract",
      title: `The chain refused: ${decoded.shortMessage}.`,
      hint:
        decoded.hints[0] ??
        (missingRole
          ? "Ask the site manager to grant this wallet the site's operator role."
          : "Nothing was stamped."),
      errorName: decoded.errorName,
    };
  }
  const first = errors.find((entry) => typeof entry.shortMessage === "string") ?? errors[0];
  const message =
    typeof first?.shortMessage === "string"
      ? first.shortMessage
      : typeof first?.message === "string"
        ? first.message
        : String(error);
  return {
    kind: "unknown",
    title: message,
    hint: "Check the wallet and the network, then try again.",
  };
}
