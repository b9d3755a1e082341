// zeek-bin-serializer: a log batch as a Zeek node PUSHes it to a logger, and back.
// Run: node --conditions=@zmqc/source --import tsx examples/zeek-log-batch.ts
import {
  decodeLogFrames,
  decodeLogMessage,
  decodeZeekLogRows,
  decodeZeekLogView,
  encodeLogFrames,
  encodeZeekLogBatch,
  LogValues,
  logField,
} from "@zmqc/wire-format";

const frames = encodeLogFrames({
  sender: "zeromq_worker-1_host_4242_Nexample",
  format: "zeek-bin-serializer",
  payload: encodeZeekLogBatch({
    stream: "Conn::LOG",
    writer: "Log::WRITER_ASCII",
    filter: "default",
    path: "conn",
    fields: [
      logField("ts", "time"),
      logField("id.orig_h", "addr"),
      logField("id.resp_p", "port"),
      logField("service", "string", { optional: true }),
    ],
    records: [
      [
        LogValues.time(1764064800.25),
        LogValues.addr("10.0.0.1"),
        LogValues.port(443, "tcp"),
        LogValues.string("ssl"),
      ],
      [
        LogValues.time(1764064801.5),
        LogValues.addr("2001:db8::7"),
        LogValues.port(53, "udp"),
        LogValues.absent("string"),
      ],
    ],
  }),
});

const batch = decodeLogMessage(decodeLogFrames(frames));
console.log(batch.stream, batch.path, batch.fields.map((field) => field.name).join(" "));
for (const record of batch.records)
  console.log(record.map((value) => (value.present ? value.type : "-")).join(" "));

// What a logger writes: plain rows, every check of the typed decoder, no value objects.
const message = decodeLogFrames(frames);
for (const row of decodeZeekLogRows(message.payload).rows) console.log(row.join(" "));

// Only some cells: the lazy view checks the whole batch now and decodes a cell when it is read.
const view = decodeZeekLogView(message.payload);
const service = view.fields.findIndex((field) => field.name === "service");
for (let r = 0; r < view.rowCount; r++) console.log(view.isSet(r, service) ? view.cell(r, service) : "-");
