// Every example in examples/ runs as a user would run it, in a child process, and exits 0.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { testDist } from "@zmqc/vitest-config";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const examples = readdirSync(new URL("../examples/", import.meta.url)).filter((file) => file.endsWith(".ts"));

describe("examples", () => {
  it.each(examples)("%s runs", (file) => {
    const conditions = testDist ? [] : ["--conditions=@zmqc/source"];
    const result = spawnSync(process.execPath, [...conditions, "--import", "tsx", `examples/${file}`], {
      cwd: packageDir,
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(0);
  });
});
