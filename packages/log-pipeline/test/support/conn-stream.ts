// A small conn.log-like stream for the sender-to-receiver tests (pipeline, decodeBatches): nested addresses and
// ports, an enum, optional columns and a set.
import { createLogStream } from "../../src/sender/stream.js";

export const conn = createLogStream({
  id: "Conn::LOG",
  path: "conn",
  columns: {
    ts: "time",
    uid: "string",
    id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
    proto: "enum",
    service: { type: "string", optional: true },
    orig_bytes: { type: "count", optional: true },
    tunnel_parents: { type: { set: "string" }, optional: true },
  },
});
