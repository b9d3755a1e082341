// Where the runtime refuses to generate code (node --disallow-code-generation-from-strings, a locked-down
// embedder), the sender's record encoder and the logger's batch check fall back to their interpreted loops: the
// same records must reach the same log lines. Both runs are real processes with real sockets and files.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testDist } from "@zmqc/vitest-config";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

interface ChildResult {
  readonly codegen: "allowed" | "refused";
  readonly warnings: string[];
  readonly data: string[];
}

/** Runs support/codegen-child.ts with these node flags; its one line of JSON. */
function runChild(flags: readonly string[]): Promise<ChildResult> {
  const conditions = testDist ? [] : ["--conditions=@zmqc/source"];
  const child = spawn(
    process.execPath,
    [...flags, ...conditions, "--import", "tsx", "test/support/codegen-child.ts"],
    { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
  return new Promise((resolve, reject) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`codegen-child ${flags.join(" ")} exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as ChildResult);
    });
  });
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
