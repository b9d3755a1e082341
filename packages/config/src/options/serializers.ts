import { z } from "zod";
import { option } from "./define.js";

/** Event payload formats Zeek understands. */
export const EVENT_SERIALIZERS = ["broker-bin-v1", "broker-json-v1"] as const;
/** An event payload format (the string in the message's format frame). */
export type EventSerializer = (typeof EVENT_SERIALIZERS)[number];

/** The event payload format. */
export const serializerOptionSpecs = {
  /** Format of published events; receivers reject others. Default `broker-bin-v1` (Zeek's default). */
  eventSerializer: option(z.enum(EVENT_SERIALIZERS), {
    default: "broker-bin-v1",
    zeek: "Cluster::event_serializer",
    doc: "Format of published event payloads; must match every receiver's.",
  }),
} as const;
