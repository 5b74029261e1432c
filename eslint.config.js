// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "**/node_modules/",
      "artifacts/",
      "cache/",
      "types/",
      "coverage/",
      "dapp/",
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
    files: ["**/*.test.ts", "test/**/*.ts"],
    rules: {
      // node:test's describe/it return promises that the runner awaits itself.
      "@typescript-eslint/no-floating-promises": "off",
    },
  },
);
