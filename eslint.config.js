// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "**/node_modules/",
      "artifacts/",
      "cache/",
      "types/",
      "coverage/",
      "dapp/.next*/",
      "dapp/next-env.d.ts",
      "dapp/test-results/",
      // AssemblyScript mappings and graph-cli output are not TypeScript for Node.
      "subgraph/src/mappings/",
      "subgraph/build/",
      "subgraph/generated/",
      "subgraph/abis/",
      "ignition/deployments/",
      "bench/results/",
      "**/generated/",
      "eslint.config.js",
      "scripts/require-node22.cjs",
      // Chainlink Functions request bodies: top-level return/await in the DON's Deno sandbox, which no
      // ESLint parser accepts; their tests run them through the toolkit's simulateScript.
      "functions/source/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // The dapp: React hooks rules and Next's own checks, over its own tsconfig (jsx, DOM).
    files: ["dapp/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat["recommended-latest"],
  },
  {
    files: ["dapp/**/*.{ts,tsx}"],
    plugins: { "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      // App router only: there is no pages/ directory for this rule to look at.
      "@next/next/no-html-link-for-pages": "off",
    },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts"],
    rules: {
      // node:test's describe/it return promises that the runner awaits itself.
      "@typescript-eslint/no-floating-promises": "off",
    },
  },
);
