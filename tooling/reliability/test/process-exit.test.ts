// A process with a broker open that calls process.exit() must exit: the role apps do so on a second signal and on
// a fatal error, without closing their broker first.
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { startJsonChild } from "../src/children.js";
import { writeLedger } from "../src/ledger.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe("process.exit() with a broker open", () => {
  // Found by this suite: process.exit(0) with a native broker open never returned (zeromq.js's context teardown
  // waited for the proxy thread's sockets), and with a managed one the process aborted ("terminate called after
  // throwing an instance of 'Napi::Error'", SIGABRT). The role apps call process.exit on a second signal and on a
  // fatal error without closing their broker. Fixed in packages/broker (an exit hook); this is the regression test.
  for (const mode of ["native", "managed"] as const) {
    it(`${mode}: exits with code 0 within 3 s`, async () => {
      const json = cleanup.add(
        startJsonChild(`exit with a ${mode} broker`, "exit-with-broker", { mode }),
        (c) => c.child.dispose(),
      );
      await json.waitFor({ event: "ready" }, 20_000);
      json.child.writeLine("exit");
      const exit = await json.child.waitForExit(3000).catch(() => undefined);
      const clean = exit?.code === 0;
      writeLedger({
        scenario: `process-exit-${mode}`,
        title: `process.exit(0) in a process with a ${mode} broker open`,
        proves:
          "A process that embeds a broker exits cleanly when it calls process.exit() without closing the broker first, as the role apps do on a second signal or a fatal error.",
        unit: "processes",
        sent: 1,
        received: clean ? 1 : 0,
        dropped: {},
        ...(clean
          ? {}
          : {
              findings: [
                `packages/broker: process.exit(0) with a ${mode} broker open ${exit === undefined ? "never returns (the process hangs until killed)" : `ends the process with code ${exit.code}, signal ${exit.signal}`}; the role apps call process.exit on a second signal and on fatal errors without closing their broker.`,
              ],
            }),
        unexpectedExits: clean
          ? []
          : [
              exit === undefined
                ? "hung in process.exit(), killed after 3 s"
                : `exited with code ${exit.code}, signal ${exit.signal}`,
            ],
      });
      expect(clean).toBe(true);
    });
  }
});
