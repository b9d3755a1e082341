// A node in a child process, for the fault tests: zeromq.js sockets connected to a broker the way a Zeek node
// connects them, subscribed to some prefixes.
//   node peer-child.mjs <broker xsub endpoint> <broker xpub endpoint> <prefix>...
// Prints "ready" once the echo of each of its subscriptions has come back on its own XPUB (so the broker has
// passed them on), then idles until it is killed or its stdin ends.
import { XPublisher, XSubscriber } from "zeromq";

const [xsubEndpoint, xpubEndpoint, ...prefixes] = process.argv.slice(2);
if (xsubEndpoint === undefined || xpubEndpoint === undefined || prefixes.length === 0) {
  process.stderr.write("usage: peer-child.mjs <broker xsub endpoint> <broker xpub endpoint> <prefix>...\n");
  process.exit(2);
}

const xpub = new XPublisher({ linger: 0, verbosity: "allSubs" });
const xsub = new XSubscriber({ linger: 0 });
xpub.connect(xsubEndpoint);
xsub.connect(xpubEndpoint);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

const waiting = new Set(prefixes);
for (const prefix of prefixes) await xsub.send(Buffer.concat([Buffer.from([1]), Buffer.from(prefix)]));
while (waiting.size > 0) {
  const [frame] = await xpub.receive();
  if (frame !== undefined && frame[0] === 1) waiting.delete(frame.subarray(1).toString("utf8"));
}
process.stdout.write("ready\n");
// Keep reading notifications so the XPUB never backs up.
for (;;) await xpub.receive();
