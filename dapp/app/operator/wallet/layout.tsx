import type { ReactNode } from "react";
import { WalletProviders } from "../../../src/wallet/WalletProviders.tsx";

/** wagmi only under the wallet route, so the portal and the public pages load no wallet code. */
export default function WalletLayout({ children }: { children: ReactNode }) {
  return <WalletProviders>{children}</WalletProviders>;
}
