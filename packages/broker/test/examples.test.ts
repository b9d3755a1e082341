// Every example in examples/ runs as a user would run it, in a child process, exits 0, and prints the line that
// shows it did its work (a message that went through the broker, counters, a refusal).
import { fileURLToPath } from "node:url";
import { examplesOf, runExample } from "@zmqc/vitest-config";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Per example, the lines its stdout must have; a new example needs an entry here. */
const proofs: Record<string, RegExp[]> = {
  "curve.ts": [
    /^received over CURVE on secret\.plans: encrypted on the wire$/m,
    /^intruder: ZeroMQ: Handshake for socket tcp:\/\/127\.0\.0\.1:\d+ failed: event=0x4000 value=400 /m,
    /^broker log: ZeroMQ\/ZAP: refused a client from 127\.0\.0\.1: its public key is not an allowed client key$/m,
    /^refused clients so far: [1-9]\d*$/m,
  ],
  "embedded-broker.ts": [
    /^subscriber received: zeek\.cluster\.worker \| example-publisher \| broker-bin-v1 \| hello through the broker$/m,
  ],
  "managed-stats.ts": [
    /^messages per topic: zeek\.cluster\.worker=2 zeek\.cluster\.logger=1$/m,
    /^zeek_cluster_zeromq_proxy_backend_messages_sent_total 12$/m,
  ],
};

describe("examples", () => {
  it.each(examplesOf(packageDir))(
    "%s runs",
    async (file) => {
      const result = await runExample(packageDir, file, { timeoutMs: 30_000 });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout.length).toBeGreaterThan(0);
      expect(proofs[file], `a proof line for ${file}`).toBeDefined();
      for (const proof of proofs[file] ?? []) expect(result.stdout).toMatch(proof);
    },
    35_000,
  );
});
