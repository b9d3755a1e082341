// Every example in examples/ runs as a user would run it, in a child process, exits 0 and shows the work done:
// the log files a logger wrote, or the records a receiver took.
import { fileURLToPath } from "node:url";
import { examplesOf, runExample } from "@zmqc/vitest-config";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** What each example's stdout must contain: proof that the records went through sockets to files or records. */
const expectedLines: Record<string, (string | RegExp)[]> = {
  "logger-and-sender.ts": [
    /^wrote 3 records \(1 batch\) to .*conn\.log:$/,
    "#path\tconn",
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\torig_bytes\ttunnel_parents",
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tcount\tset[string]",
    "1764064800.250000\tCHhAvVGS1DHFjwGM9\t10.0.0.1\t51234\t192.0.2.7\t443\ttcp\tssl\t1200\t(empty)",
    "1764064801.500000\tCJ3xTn1c4Zw6QYl0A3\t10.0.0.2\t5353\t2001:db8::53\t53\tudp\tdns\t64\tCHhAvVGS1DHFjwGM9",
    "1764064802.000000\tCm8cBm3nHQkbmyAcL\t10.0.0.3\t40000\t198.51.100.9\t22\ttcp\t-\t0\t-",
    /^#close\t\d{4}(-\d\d){5}$/,
  ],
  "records-as-json.ts": [
    '{"_node":"worker-1","_path":"conn","ts":1764064800,"uid":"C0","id.orig_h":"10.0.0.1","id.orig_p":51234,"id.resp_h":"192.0.2.7","id.resp_p":443,"service":"ssl","duration":0.125,"orig_bytes":0}',
    '{"_node":"worker-1","_path":"conn","ts":1764064800.25,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":51235,"id.resp_h":"192.0.2.7","id.resp_p":443,"service":null,"duration":null,"orig_bytes":1200}',
    '{"_node":"worker-1","_path":"conn","ts":1764064800.5,"uid":"C2","id.orig_h":"10.0.0.1","id.orig_p":51236,"id.resp_h":"192.0.2.7","id.resp_p":443,"service":"ssl","duration":0.375,"orig_bytes":2400}',
  ],
  "json-rotation.ts": [
    /^dns rotated to dns__\d{4}(-\d\d){5}__\d{4}(-\d\d){5}__log_suffix=logger-1__\.log:$/,
    '{"ts":1764064800.25,"uid":"CHhAvVGS1DHFjwGM9","query":"example.com","rtt":0.0123,"rejected":false,"answers":["192.0.2.80","2001:db8::80"]}',
    '{"ts":1764064801.0,"uid":"CJ3xTn1c4Zw6QYl0A3","query":"nxdomain.example","rejected":true}',
  ],
};

describe("examples", () => {
  it("every example has its expected output here", () => {
    expect(Object.keys(expectedLines).sort()).toEqual(examplesOf(packageDir));
  });

  it.each(examplesOf(packageDir))("%s runs", { timeout: 35_000 }, async (file) => {
    const result = await runExample(packageDir, file, { timeoutMs: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(0);
    const lines = result.stdout.split("\n");
    for (const line of expectedLines[file] ?? [])
      expect(lines).toContainEqual(typeof line === "string" ? line : expect.stringMatching(line));
  });
});
