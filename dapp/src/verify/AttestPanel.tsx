"use client";
import { useEffect, useState } from "react";
import { BaseError } from "viem";
import {
  useChainId,
  useConnect,
  useConnection,
  useConnectors,
  usePublicClient,
  useReadContract,
  useSwitchChain,
  useWaitForTransactionReceipt,
  useWriteContract,
} from "wagmi";
import { cidToHex, parseCid } from "@energy-intelligence/sdk/cid/index";
import { auditAttestationsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { useRuntimeConfig } from "../config/RuntimeConfigProvider.tsx";
import { WalletProviders } from "../wallet/WalletProviders.tsx";

const VERDICTS = [
  { value: 1, label: "valid" },
  { value: 2, label: "invalid" },
  { value: 3, label: "corrected" },
] as const;

/** The shortest true sentence about a wallet or contract error (viem's error chain, decoded reverts). */
function describe(error: unknown): string {
  if (error instanceof BaseError) {
    const revert = error.walk(
      (cause) => (cause as { data?: { errorName?: string } }).data?.errorName !== undefined,
    );
    const name = (revert as { data?: { errorName?: string } } | null)?.data?.errorName;
    if (name === "Attestations_NotAuditor")
      return "This account does not hold the auditor role in the registry: ask the registry admin to grant it.";
    if (name !== undefined) return `The contract refused: ${name}.`;
    if (error.walk((cause) => (cause as { code?: number }).code === 4001) !== null)
      return "You rejected the request in your wallet.";
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

export function AttestPanel(props: {
  kind: "lot" | "container";
  id: string;
  reportCid: string;
  passed: boolean;
}) {
  return (
    <WalletProviders>
      <Attest {...props} />
    </WalletProviders>
  );
}

function Attest({ kind, id, reportCid, passed }: Parameters<typeof AttestPanel>[0]) {
  const config = useRuntimeConfig();
  const connection = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const chainId = useChainId();
  const switchChain = useSwitchChain();
  const write = useWriteContract();
  const publicClient = usePublicClient({ chainId: config.chainId });
  // The contract's answer to the call before the wallet is asked: wallets often drop the revert
  // data, the chain's eth_call keeps it, so a missing role is named instead of "reverted".
  const [refusal, setRefusal] = useState<unknown>();
  const [checking, setChecking] = useState(false);
  const receipt = useWaitForTransactionReceipt({ hash: write.data });
  const [verdict, setVerdict] = useState<1 | 2 | 3>(passed ? 1 : 2);
  const attestations = config.deployments.AuditAttestations;
  const subjectKind = kind === "container" ? 1 : 2;
  // The connected auditor's attestation as the contract holds it: an earlier one on connecting,
  // the new one once its block is in.
  const recorded = useReadContract({
    address: attestations.address,
    abi: auditAttestationsAbi,
    functionName: "attestationOf",
    args: [
      subjectKind,
      BigInt(id),
      connection.address ?? "0x0000000000000000000000000000000000000000",
    ],
    chainId: config.chainId,
    query: { enabled: connection.address !== undefined },
  });
  const { refetch } = recorded;
  const confirmedBlock = receipt.data?.blockNumber;
  useEffect(() => {
    if (confirmedBlock !== undefined) void refetch();
  }, [confirmedBlock, refetch]);

  if (connection.status !== "connected") {
    return (
      <section aria-labelledby="attest-title" className="card">
        <h2 id="attest-title">Attest as an auditor</h2>
        {connectors.length === 0 ? (
          <p>No wallet found in this browser. Install one (any EIP-6963 wallet) and reload.</p>
        ) : (
          <div className="actions">
            {connectors.map((connector) => (
              <button
                key={connector.uid}
                type="button"
                onClick={() => {
                  connect.mutate({ connector });
                }}
              >
                Connect {connector.name}
              </button>
            ))}
          </div>
        )}
        {connect.error ? <p role="alert">{describe(connect.error)}</p> : null}
      </section>
    );
  }
  const wrongChain = connection.chainId !== config.chainId && chainId !== config.chainId;
  return (
    <section aria-labelledby="attest-title" className="card">
      <h2 id="attest-title">Attest as an auditor</h2>
      <p>
        Connected as <code>{connection.address}</code>. Your verdict is recorded on chain with the
        proof bundle's CID.
      </p>
      {wrongChain ? (
        <p role="alert">
          Your wallet is on chain {connection.chainId}; this deployment is on chain {config.chainId}
          .{" "}
          <button
            type="button"
            onClick={() => {
              switchChain.mutate({ chainId: config.chainId });
            }}
          >
            Switch network
          </button>
        </p>
      ) : null}
      <fieldset>
        <legend>Verdict</legend>
        {VERDICTS.map((option) => (
          <label key={option.value} style={{ marginRight: "1rem" }}>
            <input
              type="radio"
              name="verdict"
              value={option.value}
              checked={verdict === option.value}
              onChange={() => {
                setVerdict(option.value);
              }}
            />{" "}
            {option.label}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button
          type="button"
          disabled={wrongChain || checking || write.isPending}
          onClick={() => {
            const call = {
              address: attestations.address,
              abi: auditAttestationsAbi,
              functionName: "attest",
              args: [subjectKind, BigInt(id), verdict, cidToHex(parseCid(reportCid))],
            } as const;
            setRefusal(undefined);
            write.reset();
            setChecking(true);
            (publicClient === undefined
              ? Promise.resolve()
              : publicClient.simulateContract({ ...call, account: connection.address })
            ).then(
              () => {
                setChecking(false);
                write.mutate(call);
              },
              (error: unknown) => {
                setChecking(false);
                setRefusal(error);
              },
            );
          }}
        >
          {checking
            ? "Checking…"
            : write.isPending
              ? "Confirm in your wallet…"
              : "Record the attestation"}
        </button>
      </div>
      <p role="status" aria-live="polite">
        {refusal !== undefined
          ? describe(refusal)
          : checking
            ? "Checking the attestation with the contract…"
            : write.error
              ? describe(write.error)
              : receipt.isSuccess
                ? `Recorded in block ${receipt.data.blockNumber}.`
                : receipt.isError
                  ? describe(receipt.error)
                  : write.data !== undefined
                    ? `Sent (${write.data}); waiting for the block…`
                    : ""}
      </p>
      {recorded.data !== undefined && recorded.data.verdict > 0 ? (
        <p data-testid="attestation-on-chain">
          On chain: your attestation of this {kind} is “
          {VERDICTS.find((option) => option.value === recorded.data.verdict)?.label ??
            `verdict ${recorded.data.verdict}`}
          ”, recorded in block {recorded.data.blockNumber.toString()}.
        </p>
      ) : null}
    </section>
  );
}
