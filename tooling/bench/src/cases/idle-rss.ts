// Memory of an idle end, joined and doing nothing: a bare Node.js process (the floor), raw zeromq.js with a node's
// two sockets, a zmqc node, and a Zeek worker in a two-node cluster. RSS is read from /proc after the end reports
// itself connected and subscribed.
import { zeek } from "../baselines.js";
import { peerArgs, scriptArgs } from "../node.js";
import { boundEndpoints, rssMbNow as rssMb, startMeasured } from "../process.js";
import { summarise } from "../summary.js";
import type { CaseResult, RunOptions } from "../types.js";
import { startZeekPair } from "./zeek-pair.js";

async function nodeEnd(kind: string): Promise<number> {
  const broker = startMeasured("broker", process.execPath, scriptArgs("broker-peer", ["native"]));
  try {
    const { xpubEndpoint: xpub, xsubEndpoint: xsub } = await boundEndpoints(broker, 30_000);
    const end = startMeasured(`idle ${kind}`, process.execPath, peerArgs(["idle", kind, xsub, xpub]));
    try {
      await end.line((line) => line === "ready", 30_000);
      // Let start-up garbage be collected away before reading.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return rssMb(end);
    } finally {
      await end.stop();
    }
  } finally {
    await broker.stop();
  }
}

export async function idleRssCase(options: RunOptions): Promise<CaseResult> {
  const rounds = options.mode === "smoke" ? 1 : 3;
  const zeekBinary = zeek();
  const stacks: { id: string; label: string; run: () => Promise<number>; missing?: string }[] = [
    { id: "node", label: "bare Node.js process", run: () => nodeEnd("node") },
    { id: "zeromq.js", label: "raw zeromq.js, a node's XPUB + XSUB connected", run: () => nodeEnd("raw") },
    { id: "zmqc", label: "zmqc node (connect + subscribe)", run: () => nodeEnd("zmqc") },
    {
      id: "zeek",
      label: "Zeek worker, joined (two-node cluster)",
      run: async () => {
        const pair = await startZeekPair(zeekBinary.ok ? zeekBinary.value : "");
        try {
          await new Promise((resolve) => setTimeout(resolve, 500));
          return rssMb(pair.worker);
        } finally {
          await pair.stop();
        }
      },
      ...(zeekBinary.ok ? {} : { missing: zeekBinary.reason }),
    },
  ];
  const values = new Map<string, number[]>();
  for (let i = 0; i < rounds; i++) {
    for (const stack of stacks) {
      if (stack.missing) continue;
      options.log(`idle-rss: ${stack.label}, round ${i + 1}/${rounds}`);
      values.set(stack.id, [...(values.get(stack.id) ?? []), await stack.run()]);
    }
  }
  return summarise({
    id: "idle-rss",
    title: "Idle memory: one end joined and doing nothing (RSS)",
    unit: "MB",
    count: 1,
    rounds,
    // One figure per round, carried where the other cases carry their rate.
    stacks: stacks.map((stack) => ({
      id: stack.id,
      label: stack.label,
      missing: stack.missing,
      rounds: (values.get(stack.id) ?? []).map((mb) => ({ received: 1, eventsPerSecond: mb, processes: [] })),
    })),
    subject: "zmqc",
    baselines: ["node", "zeromq.js", "zeek"],
  });
}
