// Build a Zeek event, put it in the 4 frames a node publishes, and read it back as a receiver would.
// Run: node --conditions=@zmqc/source --import tsx examples/broker-bin-event.ts
import {
  decodeEventFrames,
  decodeEventMessage,
  encodeBrokerBinEvent,
  encodeEventFrames,
  Value,
} from "@zmqc/wire-format";

const frames = encodeEventFrames({
  topic: "zeek.cluster.worker",
  sender: "zeromq_manager_host_4242_Nexample",
  format: "broker-bin-v1",
  payload: encodeBrokerBinEvent({
    name: "Intel::new_item",
    args: [
      Value.record([
        Value.string("198.51.100.7"),
        Value.enum("Intel::ADDR"),
        Value.record([Value.string("feed")]),
      ]),
      Value.port(443, "tcp"),
      Value.time(new Date("2026-11-25T10:00:00Z")),
      Value.set([Value.subnet("10.0.0.0/8"), Value.subnet("192.168.0.0/16")]),
    ],
  }),
});

const message = decodeEventFrames(frames);
const event = decodeEventMessage(message);
console.log(message.topic, message.format, `${message.payload.length} bytes`);
console.log(
  event.name,
  JSON.stringify(event.args, (_key, value) => (typeof value === "bigint" ? `${value}n` : value)),
);
