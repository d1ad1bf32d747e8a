import { defineConfig } from "vitest/config";

// VITEST_JSON names a file for a machine-readable report (CI prints its counts as a closing line).
const json = process.env.VITEST_JSON;

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: "forks",
    reporters: json ? ["default", ["json", { outputFile: json }]] : ["default"],
  },
});
