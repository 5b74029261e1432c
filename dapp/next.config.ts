import type { NextConfig } from "next";
import { fileURLToPath } from "node:url";

const nextConfig: NextConfig = {
  // The sdk ships TypeScript sources with `.ts` import extensions; Next compiles it like app code.
  transpilePackages: ["@energy-intelligence/sdk"],
  // The workspace root holds the lockfile and node_modules; say so, rather than let Next guess.
  turbopack: { root: fileURLToPath(new URL("..", import.meta.url)) },
  // The browser test harness builds into its own cache directory (keyed on the source hash).
  distDir: process.env.EI_DAPP_DIST_DIR ?? ".next",
  // `npm run typecheck` checks the dapp with the rest of the repo; not again in every build.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
