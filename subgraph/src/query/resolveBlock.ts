/**
 * The `block: Block_height` argument resolved against the store the way
 * graph-node's `locate_blocks` does: `{ hash }` must be a processed block,
 * `{ number }` must not be past the indexed head, `{ number_gte }` asks for
 * the latest block provided the head has reached it.
 */
import type { Database } from "better-sqlite3";
import type { BlockScope } from "./compileEntityQuery.ts";
import { QueryExecutionError, valueParseError } from "./queryErrors.ts";
import { findBlockByHash, type StoreState } from "./storeState.ts";

export interface BlockArgument {
  hash?: string | null | undefined;
  number?: number | null | undefined;
  number_gte?: number | null | undefined;
}

export interface ResolvedBlock {
  /** What entity reads use: null reads the latest versions. */
  scope: BlockScope;
  number: number;
  /** Known for the latest block and for `{ hash }`; null for `{ number }`, as in graph-node. */
  hash: string | null;
}

function notYetAvailable(state: StoreState, head: number, wanted: number): string {
  return `subgraph ${state.deployment} has only indexed up to block number ${head} and data for block number ${wanted} is therefore not yet available`;
}

/** Resolves a root field's block argument; throws graph-node's errors. */
export function resolveBlock(
  db: Database,
  state: StoreState,
  argument: BlockArgument | null | undefined,
): ResolvedBlock {
  const head = state.head;
  if (head === null) {
    throw new QueryExecutionError(`subgraph \`${state.deployment}\` has not started syncing yet`);
  }
  const latest: ResolvedBlock = { scope: null, number: head.number, hash: head.hash };
  if (argument == null) return latest;
  if (argument.hash != null) {
    const block = findBlockByHash(db, argument.hash);
    if (block === null) throw valueParseError("block.hash", "no block with that hash found");
    if (block.number > head.number) {
      throw valueParseError("block.number", notYetAvailable(state, head.number, block.number));
    }
    return {
      scope: block.number === head.number ? null : block.number,
      number: block.number,
      hash: block.hash,
    };
  }
  if (argument.number != null) {
    const wanted = argument.number;
    if (wanted > head.number) {
      throw valueParseError("block.number", notYetAvailable(state, head.number, wanted));
    }
    if (wanted < 0) throw valueParseError("block.number", `invalid block number ${wanted}`);
    // At the head the visible versions are exactly the current ones (the indexer commits
    // whole blocks), and the current-version index is the faster read.
    return { scope: wanted === head.number ? null : wanted, number: wanted, hash: null };
  }
  if (argument.number_gte != null && head.number < argument.number_gte) {
    throw valueParseError(
      "block.number_gte",
      notYetAvailable(state, head.number, argument.number_gte),
    );
  }
  return latest;
}

/**
 * Whether a read at `blockNumber` sees the deployment's indexing errors: any
 * recorded error without a block, or a read at the last indexed state. The
 * stored head is the last block with events before the one that failed, so
 * blocks between them (no events) read as that head does.
 */
export function hasIndexingErrorsAt(state: StoreState, blockNumber: number): boolean {
  if (!state.hasIndexingErrors) return false;
  const failedAt = state.fatalError?.block?.number;
  if (failedAt === undefined) return true;
  const lastGood = Math.min(failedAt - 1, state.head?.number ?? failedAt - 1);
  return blockNumber >= lastGood;
}
