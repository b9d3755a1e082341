// The forwarder a user would write with zeromq.js alone: XSUB and XPUB (VERBOSER, NODROP, as the broker sets them)
// and two loops, messages one way and subscriptions the other, nothing counted. It is the ceiling for any forwarder
// that touches each message in JavaScript, which is what the managed broker does (in a worker thread, with Zeek's
// statistics), so managed / this ratio says how much the managed mode's own work costs.
//   raw-forwarder [io-threads]   binds ephemeral 127.0.0.1 ports, prints "<xpub> <xsub>", forwards until SIGTERM
import { setTimeout as delay } from "node:timers/promises";
import { Context, XPublisher, XSubscriber } from "zeromq";

const context = new Context({ ioThreads: Number(process.argv[2] ?? 2) });
const xpub = new XPublisher({ context, linger: 0, noDrop: true, verbosity: "allSubsUnsubs" });
const xsub = new XSubscriber({ context, linger: 0 });
await xpub.bind("tcp://127.0.0.1:*");
await xsub.bind("tcp://127.0.0.1:*");
console.log(`${xpub.lastEndpoint} ${xsub.lastEndpoint}`);

let stopping = false;
const isAgain = (error: unknown) => (error as { code?: string }).code === "EAGAIN";

async function forwardSubscriptions(): Promise<void> {
  while (!stopping) await xsub.send(await xpub.receive());
}

async function forwardMessages(): Promise<void> {
  while (!stopping) {
    const message = await xsub.receive();
    // NODROP: a subscriber at its HWM refuses the message at once; wait for room, as zmq_proxy's blocking send does.
    for (;;) {
      try {
        await xpub.send(message);
        break;
      } catch (error) {
        if (!isAgain(error) || stopping) throw error;
        await delay(1);
      }
    }
  }
}

const loops = Promise.all([forwardSubscriptions(), forwardMessages()]).catch((error: unknown) => {
  if (!stopping) throw error;
});
const stop = () => {
  stopping = true;
  xpub.close();
  xsub.close();
  void loops.then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
