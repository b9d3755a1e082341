// Every example in examples/ runs as a user would run it, in a child process, and exits 0.
import { fileURLToPath } from "node:url";
import { examplesOf, runExample } from "@zmqc/vitest-config";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

describe("examples", () => {
  it.each(examplesOf(packageDir))("%s runs", async (file) => {
    const result = await runExample(packageDir, file, { timeoutMs: 15_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(0);
  });
});
