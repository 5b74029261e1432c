import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import type { Hex } from "viem";
import { createChainAccess } from "../chain/createChainAccess.ts";
import { loadDeploymentsFile } from "../chain/loadDeploymentsFile.ts";
import type { OracleKey } from "../config/loadOracleKey.ts";
import type {
  CertificateClaimsGate,
  ContainerCloserOptions,
} from "../containers/containerCloser.ts";
import type { ChainConfig } from "../containers/containersConfigSchema.ts";
import { CertificateClaimer } from "./certificateClaimer.ts";
import { CertificateClaimsRepository } from "./certificateClaimsRepository.ts";

export interface StartCertificateClaimsParameters {
  db: Database;
  /** The configured instruments (loadContractualInstruments), or undefined when none. */
  market: ContainerCloserOptions["market"];
  chain: ChainConfig;
  oracleKey: OracleKey | undefined;
  /** The sites whose containers apply the instruments. */
  siteIds: readonly Hex[];
  logger: Logger;
}

/**
 * Puts the gateway's certificate claims on chain when it can: instruments, a chain, an oracle
 * key and CertificateClaims in the deployments file. Returns the closer's `market` input (with
 * the claims gate when on) and a close for the claim loop. Without the contract the containers
 * keep their own ledger only, and the gateway says so.
 *
 * @example
 * ```ts
 * const claims = await startCertificateClaims({ db, market, chain, oracleKey, siteIds, logger });
 * await startAnchoringServices({ ...rest, market: claims.market });
 * await claims.close();
 * ```
 */
export async function startCertificateClaims(
  parameters: StartCertificateClaimsParameters,
): Promise<{ market: ContainerCloserOptions["market"]; close(): Promise<void> }> {
  const { market, chain, oracleKey, logger } = parameters;
  const off = { market, close: () => Promise.resolve() };
  if (market === undefined || market.instruments.length === 0) return off;
  if (chain?.deploymentsFile === undefined || oracleKey === undefined) {
    logger.warn(
      "certificate claims off: instruments are applied from this gateway's own ledger only (configure chain.deploymentsFile with CertificateClaims and an oracle key)",
    );
    return off;
  }
  let address: Hex;
  try {
    address = loadDeploymentsFile(chain.deploymentsFile, ["CertificateClaims"]).CertificateClaims
      .address;
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "certificate claims off: no CertificateClaims in the deployments file",
    );
    return off;
  }
  // A chain that is down at start only holds the periods that use instruments back: the gate
  // answers "not read yet" until the claimer is connected, and connecting is retried.
  const repository = new CertificateClaimsRepository(parameters.db);
  let claimer: CertificateClaimer | undefined;
  let stopped = false;
  const connect = async (): Promise<void> => {
    try {
      const access = await createChainAccess({
        rpcUrl: chain.rpcUrl,
        oracleKey,
        containersAddress: address,
        requestTimeoutMs: chain.requestTimeoutMs,
      });
      if (stopped) return;
      claimer = new CertificateClaimer({
        db: parameters.db,
        publicClient: access.publicClient,
        account: access.account,
        chainId: access.chainId,
        address,
        instruments: market.instruments,
        siteIds: [...new Set(parameters.siteIds)],
        logger,
        pollIntervalMs: chain.pollIntervalMs,
        retryMs: chain.backoffInitialMs,
      });
      claimer.start();
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "certificate claims: chain unreachable; periods using instruments wait",
      );
      if (!stopped) setTimeout(() => void connect(), chain.backoffMaxMs).unref();
    }
  };
  await connect();
  const gate: CertificateClaimsGate = {
    availableMilliWattHours: (instrument) => claimer?.availableMilliWattHours(instrument),
    periodClaims: (siteId, streamId, periodStartMs) =>
      repository.ofPeriod(siteId, streamId, periodStartMs),
    queuePeriod: (period, uses) => claimer?.queuePeriod(period, uses) ?? 0,
  };
  return {
    market: { ...market, claims: gate },
    close: async () => {
      stopped = true;
      await claimer?.stop();
    },
  };
}
