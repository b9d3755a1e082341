// zmqc-cbor-v1: the same event model as plain CBOR, for services that do not talk to Zeek.
// Run: node --conditions=@zmqc/source --import tsx examples/cbor-event.ts
import { decodeCborEvent, encodeCborEvent, Value } from "@zmqc/wire-format";

const payload = encodeCborEvent({
  name: "Jobs::done",
  args: [Value.string("job-17"), Value.count(18_446_744_073_709_551_615n), Value.interval(1.25)],
});
const event = decodeCborEvent(payload);
console.log(`${payload.length} bytes`, event.name, event.args.map((arg) => arg.type).join(","));
