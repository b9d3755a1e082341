// A process with a broker in it must be able to end: after close() by itself (nothing left keeping the event loop
// alive), and by process.exit() with the broker still open (the role apps exit that way on a second signal or a
// fatal error). Found by tooling/reliability (process-exit.test.ts): the native broker hung the exit and the managed
// one aborted it (SIGABRT).
import { fileURLToPath } from "node:url";
import { Cleanup, startChild } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";

const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));
const CHILD = fileURLToPath(new URL("./support/exit-child.ts", import.meta.url));
// As in @zmqc/vitest-config: TEST_DIST=1 tests the built dist/, so the child imports it too.
const TEST_DIST = process.env.TEST_DIST !== undefined && process.env.TEST_DIST !== "0";
const CONDITIONS = TEST_DIST ? [] : ["--conditions=@zmqc/source"];
// A bound for a hang, not a measurement: exiting takes milliseconds.
const EXIT_MS = 10_000;

describe("a process with a broker", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it.each([
    ["native", "close", "plain"],
    ["managed", "close", "plain"],
    ["native", "exit", "plain"],
    ["managed", "exit", "plain"],
    ["native", "exit", "curve"],
    ["managed", "exit", "curve"],
  ] as const)("%s broker (%s, %s): the process exits with code 0", async (mode, how, curve) => {
    const child = cleanup.add(
      startChild(
        `${mode} broker, ${how}`,
        process.execPath,
        [...CONDITIONS, "--import", "tsx", CHILD, mode, how, curve],
        { cwd: PACKAGE_DIR },
      ),
      (c) => c.dispose(),
    );
    await child.takeLine("ready", (line) => line === "ready", 20_000);
    child.writeLine("go");
    expect(await child.waitForExit(EXIT_MS)).toMatchObject({ code: 0, signal: null, stderr: "" });
  });
});
