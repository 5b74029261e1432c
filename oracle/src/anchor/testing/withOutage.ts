import { type ContentStore, ContentStoreUnavailableError } from "../../ipfs/contentStore.ts";

/** A real content store that can be switched off, as a dead disk or an unreachable Kubo would be. */
export interface SwitchableContentStore extends ContentStore {
  down: boolean;
  /** putFile calls refused while down. */
  refused: number;
}

export function withOutage(store: ContentStore): SwitchableContentStore {
  const switchable: SwitchableContentStore = {
    kind: store.kind,
    down: false,
    refused: 0,
    putFile(parameters) {
      if (switchable.down) {
        switchable.refused += 1;
        return Promise.reject(
          new ContentStoreUnavailableError("content store is down (test outage)"),
        );
      }
      return store.putFile(parameters);
    },
    getBlock: (cid, options) => store.getBlock(cid, options),
    hasBlock: (cid, options) => store.hasBlock(cid, options),
    isUp: () => Promise.resolve(!switchable.down),
    close: () => store.close(),
  };
  return switchable;
}
