import path from "node:path";

/** The portal's SQLite file in the dApp's data directory (EI_DAPP_DATA_DIR). */
export function portalDatabaseFile(dataDir: string): string {
  return path.join(dataDir, "portal.sqlite");
}

/** The portal's relay key (0x + 64 hex) in the dApp's data directory, unless EI_PORTAL_RELAY_KEY_FILE says otherwise. */
export function portalRelayKeyFile(dataDir: string): string {
  return path.join(dataDir, "portal-relay.key");
}
