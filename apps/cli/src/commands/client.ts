/**
 * `zmqc publish` and `zmqc subscribe`: a process outside the layout (Zeek's client mode) that talks to any
 * cluster on the broker, zmqc's or Zeek's.
 */
import { type BackendOptionsInput, loadConfig } from "@zmqc/config";
import { type ClusterClient, joinAsClient, joinOptionsOf } from "@zmqc/pubsub";
import { APP_ENV } from "../role/index.js";
import { parseValue } from "../util/parse-value.js";
import { eventText } from "./decode.js";

/** Where the broker is: a configuration file and/or the two endpoints. */
export interface BrokerFlags {
  readonly config?: string;
  /** The broker's XPUB (what a node's XSUB connects to), e.g. tcp://127.0.0.1:5555. */
  readonly xsub?: string;
  /** The broker's XSUB (what a node's XPUB connects to), e.g. tcp://127.0.0.1:5556. */
  readonly xpub?: string;
  readonly timeout: string;
}

async function connectClient(flags: BrokerFlags, topics: readonly string[]): Promise<ClusterClient> {
  const overrides: BackendOptionsInput = {
    ...(flags.xsub ? { connectXsubEndpoint: flags.xsub } : {}),
    ...(flags.xpub ? { connectXpubEndpoint: flags.xpub } : {}),
  };
  const config = loadConfig({ file: flags.config, overrides, extraEnv: APP_ENV });
  const timeout = Number(flags.timeout);
  return joinAsClient({
    ...joinOptionsOf(config.options),
    name: "zmqc-cli",
    topics,
    readyTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 10_000,
    log: (line) => process.stderr.write(`${line}\n`),
  });
}

/** `zmqc publish <topic> <event> [args…]`: one event, once the broker confirmed this client. */
export async function publishCommand(
  topic: string,
  name: string,
  args: readonly string[],
  flags: BrokerFlags,
) {
  const event = { name, args: args.map(parseValue) };
  const client = await connectClient(flags, []);
  try {
    if (!client.node.publish(topic, event)) throw new Error("the event was dropped at the HWM");
    process.stdout.write(`published to '${topic}': ${eventText(event)}\n`);
  } finally {
    await client.drain();
  }
}

/** `zmqc subscribe <prefix>`: prints every event under the prefix until Ctrl-C (or `count` events). */
export async function subscribeCommand(prefixes: readonly string[], flags: BrokerFlags & { count?: string }) {
  const client = await connectClient(flags, prefixes);
  const stop = () => void client.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const limit = flags.count === undefined ? Number.POSITIVE_INFINITY : Number(flags.count);
  process.stdout.write(`subscribed to ${prefixes.map((p) => `'${p}'`).join(", ")}; Ctrl-C stops\n`);
  let seen = 0;
  try {
    for await (const event of client.node.events()) {
      process.stdout.write(
        `${event.topic} from ${event.sender}: ${eventText({ name: event.name, args: event.args, metadata: event.metadata })}\n`,
      );
      if (++seen >= limit) break;
    }
  } finally {
    await client.close();
  }
}
