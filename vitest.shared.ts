import { defineConfig } from "vitest/config";

/** Shared vitest settings: every package's vitest.config.ts merges this. */
export default defineConfig({
  ssr: { resolve: { conditions: ["moe-router-source"] } },
  resolve: { conditions: ["moe-router-source"] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
