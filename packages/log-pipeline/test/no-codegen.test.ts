// Where the runtime refuses to generate code (node --disallow-code-generation-from-strings, a locked-down
// embedder), the sender's record encoder and the logger's batch check fall back to their interpreted loops: the
// same records must reach the same log lines. Both runs are real processes with real sockets and files.
import { fileURLToPath } from "node:url";
import { runScript } from "@zmqc/vitest-config";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

interface ChildResult {
  readonly codegen: "allowed" | "refused";
  readonly warnings: string[];
  readonly data: string[];
}

/** Runs support/codegen-child.ts with these node flags; its one line of JSON. */
async function runChild(nodeFlags: readonly string[]): Promise<ChildResult> {
  const run = await runScript(packageDir, "test/support/codegen-child.ts", { timeoutMs: 50_000, nodeFlags });
  if (run.status !== 0)
    throw new Error(`codegen-child ${nodeFlags.join(" ")} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildResult;
}

describe("without code generation", () => {
  it("the sender and the logger write the same log lines as with it", async () => {
    const [compiled, interpreted] = await Promise.all([
      runChild([]),
      runChild(["--disallow-code-generation-from-strings"]),
    ]);
    expect(compiled.codegen).toBe("allowed");
    expect(interpreted.codegen).toBe("refused");
    expect(compiled.warnings).toEqual([]);
    expect(interpreted.warnings).toEqual([]);
    expect(compiled.data).toHaveLength(2500);
    expect(interpreted.data).toEqual(compiled.data);
  }, 60_000);
});
