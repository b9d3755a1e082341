// Runs examples/print-config.ts as a user would, in a child process.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testDist } from "@zmqc/vitest-config";
import { describe, expect, it } from "vitest";
import { fixturePath, writeTempFile } from "./helpers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Runs the example to completion (bounded by the test timeout) and collects its output. */
function printConfig(args: string[], env: Record<string, string> = {}) {
  // From source unless the tests run against dist/ (then the package's own exports resolve to dist/).
  const conditions = testDist ? [] : ["--conditions=@zmqc/source"];
  const child = spawn(
    process.execPath,
    [...conditions, "--import", "tsx", "examples/print-config.ts", ...args],
    {
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("examples/print-config.ts", () => {
  it("prints what a layout derives for a node, as JSON", async () => {
    const result = await printConfig(
      ["--layout", fixturePath("layouts/two-loggers.json"), "--node", "worker-1", "--json"],
      {
        ZMQC_XPUB_SNDHWM: "0",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed.node).toBe("worker-1");
    expect(printed.options.connectLogEndpoints).toEqual(["tcp://127.0.0.1:27761", "tcp://127.0.0.1:27762"]);
    expect(printed.origins.xpubSndhwm).toBe("env ZMQC_XPUB_SNDHWM");
  });

  it("exits 2 with every problem on bad configuration", async () => {
    const file = writeTempFile("bad.yaml", "xpubSndhwm: -1\nlingerMs: soon\n");
    const result = await printConfig(["--config", file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("invalid zmqc configuration, 2 problems:");
    expect(result.stderr).toContain(`xpubSndhwm (file ${file}): must be ≥ 0, got -1`);
  });
});
