import { defineConfig } from "vitest/config";

// Each package is its own vitest project (packages/*/vitest.config.ts uses @zmqc/vitest-config).
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*/vitest.config.ts", "tooling/zeek-harness", "tooling/reliability"],
    // Real sockets and real processes: retry once on CI against scheduler noise, never locally.
    retry: process.env.CI ? 1 : 0,
    // On CI the JSON report also gives .ci/run its "N passed, N failed" closing line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".vitest/results.json" },
  },
});
