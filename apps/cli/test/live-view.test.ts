// `zmqc cluster up` at a terminal: util-linux `script` gives it a pseudo-terminal, so it draws the live table,
// and a Ctrl-C typed at that terminal stops the cluster in order.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Cleanup, startChild } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { APP, tempDir, zmqcArgs } from "./support/zmqc.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const hasScript = spawnSync("script", ["--version"]).status === 0;
const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

describe.skipIf(!hasScript)("zmqc cluster up on a terminal", () => {
  it("draws the live table and stops cleanly on Ctrl-C", async () => {
    const dir = cleanup.add(tempDir("zmqc-tty-"), (d) => d.remove());
    const command = [
      process.execPath,
      ...zmqcArgs([
        "cluster",
        "up",
        "--demo",
        "--run-dir",
        join(dir.path, "run"),
        "--log-dir",
        join(dir.path, "logs"),
      ]),
    ]
      .map(quote)
      .join(" ");
    const terminal = cleanup.add(
      // `exec`: under dash (SHELL unset, as on CI) the shell would stay in the terminal's foreground group, take
      // the Ctrl-C itself and report 130 whatever zmqc did.
      startChild("zmqc on a pty", "script", ["-qfec", `exec ${command}`, "/dev/null"], {
        cwd: APP,
        hardTimeoutMs: 90_000,
      }),
      (child) => child.dispose(),
    );
    await terminal.takeLine(
      "the table with every node up",
      (line) => line.includes("5/5 nodes up (all nodes up)"),
      45_000,
    );
    // The rest of that frame may come in a later chunk than its first line: wait for the row, not assert it at once.
    await terminal.takeLine(
      "worker-1's row, up",
      (line) => /worker-1\s+worker\s+up\s+\d+/.test(line),
      10_000,
    );
    const screen = terminal.output().stdout;
    expect(screen).toContain("\x1b[H\x1b[2J"); // redrawn in place
    expect(screen).toMatch(/NODE\s+TYPE\s+STATE\s+PID\s+EVENTS\/S\s+DROPS\s+LOG RECORDS/);
    terminal.writeLine("\x03"); // Ctrl-C at the terminal: SIGINT to zmqc only (the nodes have their own group)
    const exit = await terminal.waitForExit(60_000);
    expect(exit.code, exit.stdout).toBe(0);
    expect(exit.stdout).toContain("stopping proxy-1, worker-1, worker-2");
    expect(exit.stdout).toContain("logger-1 stopped (exit 0)");
    expect(exit.stdout).toContain("cluster stopped");
  }, 120_000);
});
