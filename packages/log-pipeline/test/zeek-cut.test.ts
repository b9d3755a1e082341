// Read back by Zeek's own reader: the zeek-cut shipped with Zeek 8.2.2 cuts columns from a file our logger wrote,
// as an operator would (`zeek-cut uid id.orig_h … < conn.log`).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createLogStream, startLogger, startLogSender } from "@zmqc/log-pipeline";
import { describeWithZeek, findZeek } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const conn = createLogStream({
  id: "Conn::LOG",
  path: "conn",
  columns: {
    ts: "time",
    uid: "string",
    id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
    service: { type: "string", optional: true },
    tunnel_parents: { type: { set: "string" }, optional: true },
  },
});

describeWithZeek("zeek-cut (Zeek 8.2.2) reads what the zmqc logger writes", () => {
  it("cuts columns by name from our conn.log: nested record fields, unset cells and sets as Zeek writes them", async () => {
    const zeekCut = join(dirname((findZeek() as { zeek: string }).zeek), "zeek-cut");
    const dir = mkdtempSync(join(tmpdir(), "zmqc-zeek-cut-"));
    dirs.push(dir);
    const logger = await startLogger({ listenLogEndpoint: "tcp://127.0.0.1:*", dir, rotationIntervalMs: 0 });
    const sender = await startLogSender({
      nodeId: "w",
      connectLogEndpoints: [logger.endpoint],
      lingerMs: 1000,
    });
    for (let i = 0; i < 5; i++) {
      sender.write(conn, {
        ts: 1_764_064_800 + i,
        uid: `C${i}`,
        id: {
          orig_h: `10.0.0.${i + 1}`,
          orig_p: `${1024 + i}/tcp`,
          resp_h: "2001:db8::1",
          resp_p: "443/tcp",
        },
        service: i % 2 === 0 ? "ssl" : undefined,
        tunnel_parents: i === 4 ? ["Cx", "Cy"] : undefined,
      });
    }
    await sender.drain();
    // Every record is in the file before the logger stops (its close drains what ZeroMQ holds).
    const deadline = Date.now() + 10_000;
    while (logger.stats().recordsWritten < 5) {
      if (Date.now() > deadline)
        throw new Error(`only ${logger.stats().recordsWritten} of 5 records written in 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await logger.close();
    const cut = spawnSync(
      zeekCut,
      ["uid", "id.orig_h", "id.resp_h", "id.resp_p", "service", "tunnel_parents"],
      {
        input: readFileSync(join(dir, "conn.log")),
        encoding: "utf8",
      },
    );
    expect(cut.status, cut.stderr).toBe(0);
    expect(cut.stdout.trim().split("\n")).toEqual([
      "C0\t10.0.0.1\t2001:db8::1\t443\tssl\t-",
      "C1\t10.0.0.2\t2001:db8::1\t443\t-\t-",
      "C2\t10.0.0.3\t2001:db8::1\t443\tssl\t-",
      "C3\t10.0.0.4\t2001:db8::1\t443\t-\t-",
      "C4\t10.0.0.5\t2001:db8::1\t443\tssl\tCx,Cy",
    ]);
  });
});
