// A broker in a child process (test/support/run-broker.ts under tsx), as a standalone broker runs: it can be
// SIGKILLed, and a new one started on the same endpoints.
import { fileURLToPath } from "node:url";
import { type Child, startChild } from "@zmqc/zeek-harness";

/** packages/broker: tsx and the package's own name resolve from here. */
const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const RUNNER = fileURLToPath(new URL("./run-broker.ts", import.meta.url));
// As in @zmqc/vitest-config: TEST_DIST=1 tests the built dist/, so the child imports it too.
const TEST_DIST = process.env.TEST_DIST !== undefined && process.env.TEST_DIST !== "0";
const CONDITIONS = TEST_DIST ? [] : ["--conditions=@zmqc/source"];

/** A running broker process and the endpoints it bound. */
export interface BrokerProcess {
  readonly child: Child;
  /** Its XPUB: nodes connect their XSUB here. */
  readonly xpubEndpoint: string;
  /** Its XSUB: nodes connect their XPUB here. */
  readonly xsubEndpoint: string;
}

/**
 * Starts `node --conditions=@zmqc/source --import tsx run-broker.ts` (without the condition under TEST_DIST=1)
 * on the given endpoints (default: ports the OS picks on 127.0.0.1) and waits, at most `ms`, for the endpoints
 * it prints once both sockets are bound.
 */
export async function startBrokerProcess(
  endpoints: { xpubEndpoint: string; xsubEndpoint: string } = {
    xpubEndpoint: "tcp://127.0.0.1:*",
    xsubEndpoint: "tcp://127.0.0.1:*",
  },
  ms = 10_000,
): Promise<BrokerProcess> {
  const child = startChild(
    "broker process",
    process.execPath,
    [...CONDITIONS, "--import", "tsx", RUNNER, endpoints.xpubEndpoint, endpoints.xsubEndpoint],
    { cwd: PACKAGE_DIR },
  );
  try {
    const line = await child.takeLine("its endpoints", (l) => l.startsWith("{"), ms);
    const report = JSON.parse(line) as { xpubEndpoint?: string; xsubEndpoint?: string; error?: string };
    if (report.xpubEndpoint === undefined || report.xsubEndpoint === undefined) {
      throw new Error(`broker process could not start: ${report.error ?? line}`);
    }
    return { child, xpubEndpoint: report.xpubEndpoint, xsubEndpoint: report.xsubEndpoint };
  } catch (error) {
    await child.dispose();
    throw error;
  }
}
