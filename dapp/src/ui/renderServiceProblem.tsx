import { ProblemPage } from "./ProblemPage.tsx";
import { ServiceUnavailableError } from "../data/serviceErrors.ts";

const ADVICE: Record<ServiceUnavailableError["service"], string> = {
  indexer:
    "The indexer serves the lots, containers and dashboards. Check that it is running (ei start or ei indexer starts it) and try again in a moment.",
  "IPFS gateway":
    "The IPFS gateway serves the documents. Check that the gateway is running, or point EI_DAPP_IPFS_GATEWAY_URL at another gateway holding the data.",
  chain: "Check that the chain's RPC endpoint (EI_DAPP_RPC_URL) is reachable.",
};

/** The page for a service that is down; anything else is rethrown to the error boundary. */
export function renderServiceProblem(error: unknown) {
  if (!(error instanceof ServiceUnavailableError)) throw error;
  return (
    <ProblemPage
      title={`The ${error.service} is not answering`}
      what={`This page needs the ${error.service}, and it ${error.reason}.`}
      todo={<p>{ADVICE[error.service]}</p>}
      details={[error.url]}
    />
  );
}
