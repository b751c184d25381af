import { defineConfig } from "vitest/config";

// CI sets MOE_VITEST_JSON to a path to also get a JSON report it can count from.
const jsonReport = process.env.MOE_VITEST_JSON;

export default defineConfig({
  test: {
    projects: ["packages/*", "tools"],
    reporters: jsonReport ? ["default", "json"] : ["default"],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
