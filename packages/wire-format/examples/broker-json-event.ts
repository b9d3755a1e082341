// broker-json-v1: the same event as Zeek's JSON (what Zeek sends with Cluster::event_serializer = BROKER_JSON_V1).
// Run: node --conditions=@zmqc/source --import tsx examples/broker-json-event.ts
import { decodeBrokerJsonEvent, encodeBrokerJsonEvent, Value } from "@zmqc/wire-format";

const payload = encodeBrokerJsonEvent({
  name: "Cluster::hello",
  args: [Value.string("worker-1"), Value.string("zeromq_worker-1_host_4242_Nexample")],
});
console.log(Buffer.from(payload).toString("utf8"));
console.log(decodeBrokerJsonEvent(payload).name);
