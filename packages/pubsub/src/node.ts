import { isUtf8 } from "node:buffer";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { watchHandshakes } from "@zmqc/broker";
import { type HandshakeError, ZmqcError } from "@zmqc/config";
import {
  type DecodedEvent,
  DecodeError,
  decodeEventBatch,
  type EventBatch,
  type EventCodec,
  type EventMetadataEntry,
  encodeSubscription,
  eventCodec,
  type ZeekEvent,
  type ZeekValue,
  ZMQC_BATCH_V1,
} from "@zmqc/wire-format";
import { type Observer, XPublisher, XSubscriber } from "zeromq";
import { EventBatcher } from "./batcher.js";
import { Channel } from "./channel.js";
import type { ArgsOf, EventDefinition, ParamType } from "./events.js";
import { FrameText, sameBytes } from "./frame-text.js";
import { LiveSubscriptions, startsWith } from "./live-subscriptions.js";
import { type ConnectOptions, type NodeSettings, resolveNodeSettings } from "./options.js";
import { ReconnectHold } from "./reconnect-hold.js";
import { type Counters, emptyCounters, type NodeStats } from "./stats.js";
import type { DropCounter, NodeStatus } from "./status.js";
import { hasTimer, RoomTimeout, SocketWriter, type WriteFailure } from "./writer.js";

/** An event as a handler receives it. */
export interface ReceivedEvent<P extends readonly ParamType[] = readonly ParamType[]> {
  readonly name: string;
  readonly args: ArgsOf<P>;
  /** The topic it was published to. */
  readonly topic: string;
  /** The sender's node id. */
  readonly sender: string;
  readonly metadata?: readonly EventMetadataEntry[] | undefined;
}

/** A handler callback. It runs synchronously in the receive loop: hand long work to a queue of your own. */
export type EventCallback<P extends readonly ParamType[]> = (
  args: ArgsOf<P>,
  event: ReceivedEvent<P>,
) => void;

interface Handler {
  readonly definition: EventDefinition | undefined;
  readonly callback?: (event: ReceivedEvent) => void;
  readonly channel?: Channel<ReceivedEvent>;
}

/** A member of the cluster: publishes and receives events through the broker, and sees every node's subscriptions. */
export interface ClusterNode extends AsyncDisposable {
  /** This node's id, frame 1 of everything it publishes. */
  readonly nodeId: string;
  /** The event format it publishes and accepts (`broker-bin-v1` by default). */
  readonly format: string;
  /**
   * Subscribes to a topic prefix (sends `0x01||prefix` on the XSUB; works before the connection is up).
   *
   * With `confirm` (the default) it resolves when this node's XPUB sees a subscription to exactly this prefix
   * forwarded by the broker. That means "the broker has a subscription to this prefix" — this node's **or another
   * node's**: the XPUB is VERBOSE (as Zeek's), so every node's subscription shows, and nothing in the forwarded
   * frame says whose it is. In particular a node whose XSUB is not (yet) connected to the broker, and whose own
   * subscription therefore has not arrived, is still confirmed as soon as some other node subscribes to the same
   * prefix (or already did, and subscribes again). It is not a guarantee that events for the prefix reach this node.
   *
   * Rejects with code TIMEOUT when no confirmation arrives within `timeoutMs` (default 10 000; a negative,
   * non-finite or larger than 2^31-1 value waits without a timer), and with code CLOSED when the node closes first.
   */
  subscribe(
    prefix: string,
    options?: { readonly confirm?: boolean; readonly timeoutMs?: number },
  ): Promise<void>;
  /** Unsubscribes (`0x00||prefix`). */
  unsubscribe(prefix: string): Promise<void>;
  /**
   * Queues an event for the topic; true when queued. False when the publish queue is full (counted as
   * `publishQueueDrops`). A drop at the XPUB's HWM happens later and is counted as `xpubDrops`, as in Zeek.
   */
  publish(topic: string, event: ZeekEvent): boolean;
  /**
   * Like publish(), but waits up to `timeoutMs` (default 10 000) for room in the publish queue; rejects with code
   * BACKPRESSURE. A negative, non-finite or larger than 2^31-1 `timeoutMs` waits as long as it takes.
   */
  publishWhenReady(topic: string, event: ZeekEvent, options?: { readonly timeoutMs?: number }): Promise<void>;
  /**
   * Queues many events for one topic, in order, with one call (with batching, each is encoded straight into the
   * topic's open batch). Returns how many it took: all of them, or those before the publish queue filled up; the
   * rest were not taken and are counted as `publishQueueDrops`, as publish() counts a refused event.
   *
   * @throws EncodeError for an event its format cannot carry; the events before it were taken.
   */
  publishMany(topic: string, events: readonly ZeekEvent[]): number;
  /**
   * Like publishMany(), but waits for room whenever the publish queue is full, up to `timeoutMs` in all (default
   * 10 000; a negative, non-finite or larger than 2^31-1 value waits as long as it takes), and drops nothing. It
   * waits only while the queue is full: a producer the socket keeps up with never waits. Rejects with code
   * BACKPRESSURE on timeout; the message says how many events were taken (always the first ones).
   */
  publishManyWhenReady(
    topic: string,
    events: readonly ZeekEvent[],
    options?: { readonly timeoutMs?: number },
  ): Promise<void>;
  /** Calls back for each received event of a definition (or name); returns a function that removes the handler. */
  on<const P extends readonly ParamType[]>(
    definition: EventDefinition<P>,
    callback: EventCallback<P>,
  ): () => void;
  on(name: string, callback: (args: readonly ZeekValue[], event: ReceivedEvent) => void): () => void;
  /**
   * Every received event of a definition, a name, or all of them, as an async iterator (`onloopQueueHwm` bounded).
   * Leaving the iteration (`break`, `return()`) removes the handler.
   */
  events<const P extends readonly ParamType[]>(
    definition: EventDefinition<P>,
  ): AsyncIterableIterator<ReceivedEvent<P>>;
  events(name?: string): AsyncIterableIterator<ReceivedEvent>;
  /**
   * The prefixes some node (this one included) subscribes to, as this node's XPUB has seen them (UTF-8 prefixes
   * only). Kept across a broker restart, as Zeek's view is: a subscriber that left while the broker was away sends
   * no unsubscription, so its prefix stays here; `waitForSubscriber()` goes by the current connection instead.
   */
  remoteSubscriptions(): ReadonlySet<string>;
  /**
   * Resolves once some node (this one included) subscribes to a prefix of `topic`, as this node's XPUB sees it —
   * from then on an event published on `topic` reaches a subscriber; before, ZeroMQ discards it. Rejects with code
   * TIMEOUT after `timeoutMs` (a negative, non-finite or larger than 2^31-1 value sets no timer), or CLOSED when
   * the node closes first.
   *
   * @example
   * ```ts
   * await sender.waitForSubscriber("demo.sensors.kitchen");
   * sender.publish("demo.sensors.kitchen", reading.make(Value.string("kitchen"), Value.count(1), Value.real(21.5)));
   * ```
   */
  waitForSubscriber(topic: string, timeoutMs?: number): Promise<void>;
  /**
   * Connection changes, subscriptions, first drops, errors and the close, as they happen. The final `closed` status
   * always arrives, even on a full stream. Leaving the iteration removes the listener.
   */
  status(): AsyncIterableIterator<NodeStatus>;
  stats(): NodeStats;
  /**
   * Resolves once both sockets are connected to the broker; rejects with code TIMEOUT after `timeoutMs` (a negative,
   * non-finite or larger than 2^31-1 value sets no timer), or with code CLOSED when the node closes first.
   */
  ready(timeoutMs?: number): Promise<void>;
  /**
   * Stops publishing, sends what is queued (waiting up to `lingerMs`; events held while the broker is away wait for
   * it and their subscribers), then closes. Calls share one drain.
   */
  drain(): Promise<void>;
  /** Closes at once; queued events are counted as `closeDrops`. Idempotent. */
  close(): Promise<void>;
  /** Resolves (never rejects) when the node has closed: undefined, or the error that closed it. */
  readonly closed: Promise<Error | undefined>;
}

const NO_HANDLERS: readonly Handler[] = [];
/** Frame 2 of an event batch. */
const BATCH_FORMAT = Buffer.from(ZMQC_BATCH_V1);

const DROP_WARNINGS: Record<DropCounter, string> = {
  xpubDrops: "[zeromq] xpub: warn: dropped a message due to hwm",
  onloopDrops: "[zeromq] warn: dropped a message due to onloop queue full",
  publishQueueDrops: "[zeromq] warn: dropped a message due to a full publish queue",
  reconnectDrops:
    "[zeromq] warn: dropped events held across a broker reconnection whose subscriber did not come back in time",
  msgErrors: "[zeromq] xsub: error: expected 4 parts",
  formatErrors: "[zeromq] warn: dropped an event in a format other than this node's",
  decodeErrors: "[zeromq] warn: dropped an event that did not decode",
  typeErrors: "[zeromq] warn: dropped an event whose arguments did not match its handler",
};

/**
 * Joins the cluster: opens this node's XPUB (connected to the broker's XSUB, `connectXpubEndpoint`) and XSUB
 * (connected to the broker's XPUB, `connectXsubEndpoint`) with Zeek's socket options, and starts receiving.
 * Resolves at once; `ready()` waits for the connections.
 *
 * @example
 * ```ts
 * await using node = await connect({ name: "worker-1" });
 * const ping = defineEvent("Test::ping", ["string", "count"]);
 * node.on(ping, ([who, n]) => console.log(who.value, n.value));
 * await node.subscribe("zeek.cluster.worker");
 * node.publish("zeek.cluster.manager", ping.make(Value.string("worker-1"), Value.count(1)));
 * ```
 */
export async function connect(options: ConnectOptions = {}): Promise<ClusterNode> {
  return new Node(resolveNodeSettings(options));
}

class Node implements ClusterNode {
  readonly nodeId: string;
  readonly format: string;
  readonly closed: Promise<Error | undefined>;
  private readonly codec: EventCodec;
  // The text of the last topic and sender frames received: a stream of events repeats them.
  private readonly topicText = new FrameText();
  private readonly senderText = new FrameText();
  private readonly idBytes: Buffer;
  private lastTopic = "";
  private lastTopicFrame = Buffer.alloc(0);
  // Frames 1 and 2 are the same for every message this node sends and compares: made once.
  private readonly formatBytes: Buffer;
  /** Collects events into zmqc-batch-v1 messages when batching is on. */
  private readonly batcher: EventBatcher | undefined;
  /** How many events each batch message carries, for counting sent and dropped events. */
  private readonly batchWeights = new WeakMap<readonly Uint8Array[], number>();
  private readonly xpub: XPublisher;
  private readonly xsub: XSubscriber;
  private readonly publisher: SocketWriter;
  /** Keeps events back from the XPUB's disconnect until their subscribers are back (`reconnectHoldMs`). */
  private readonly reconnectHold: ReconnectHold;
  private readonly subscriber: SocketWriter;
  private readonly counters: Counters = emptyCounters();
  private readonly warned = new Set<DropCounter>();
  private readonly handlers = new Map<string, readonly Handler[]>();
  // Handler lists are copied on write, so dispatch can iterate them while callbacks add or remove handlers.
  private catchAll: readonly Handler[] = [];
  private readonly seen = new Set<string>();
  private readonly confirmations = new Map<string, Waiter[]>();
  private readonly statusListeners = new Set<Channel<NodeStatus>>();
  private readonly connectedSockets = new Set<"xpub" | "xsub">();
  private readyWaiters: Waiter[] = [];
  /** waitForSubscriber() calls: the topic (UTF-8 bytes) each waits for a live prefix of. */
  private subscriberWaiters: { readonly topic: Buffer; readonly waiter: Waiter }[] = [];
  /** The prefixes subscribed on the XPUB's current connection, by their bytes (kept by the reconnect hold). */
  private readonly liveSubscriptions = new LiveSubscriptions();
  private state: "open" | "draining" | "closed" = "open";
  private draining: Promise<void> | undefined;
  private resolveClosed!: (error: Error | undefined) => void;
  /** What closed the node, when it did not close on request (a fatal handshake failure). */
  private failure: HandshakeError | undefined;
  private handshakeReported = false;

  constructor(private readonly settings: NodeSettings) {
    this.nodeId = settings.nodeId;
    this.format = settings.format;
    this.codec = eventCodec(settings.format);
    this.idBytes = Buffer.from(settings.nodeId);
    this.formatBytes = Buffer.from(settings.format);
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    // Opt-in ZMTP heartbeats (Zeek sets none): only the options asked for, libzmq's defaults otherwise.
    const heartbeat = {
      ...(settings.heartbeatIntervalMs > 0 ? { heartbeatInterval: settings.heartbeatIntervalMs } : {}),
      ...(settings.heartbeatTimeToLiveMs > 0 ? { heartbeatTimeToLive: settings.heartbeatTimeToLiveMs } : {}),
      ...(settings.heartbeatTimeoutMs > 0 ? { heartbeatTimeout: settings.heartbeatTimeoutMs } : {}),
    };
    // Zeek's client mode: both sockets encrypt to the broker with the shared client key pair.
    const { curve } = settings;
    const security = curve
      ? {
          curveServerKey: curve.serverPublicKey,
          curvePublicKey: curve.publicKey,
          curveSecretKey: curve.secretKey,
        }
      : {};
    // Zeek's node sockets: XPUB VERBOSE always (every subscription of every node shows), NODROP as configured.
    this.xpub = new XPublisher({
      ...heartbeat,
      ...security,
      linger: settings.lingerMs,
      ipv6: settings.ipv6,
      noDrop: settings.connectXpubNodrop,
      verbosity: "allSubs",
      sendHighWaterMark: settings.xpubSndhwm,
      sendBufferSize: settings.xpubSndbuf,
      // Zeek sends with ZMQ_DONTWAIT: EAGAIN at the HWM at once; waiting, when asked for, is the writer's retry.
      sendTimeout: 0,
    });
    this.xsub = new XSubscriber({
      ...heartbeat,
      ...security,
      // Zeek sets no linger on the XSUB; ours must not hold the process when closing.
      linger: 0,
      ipv6: settings.ipv6,
      receiveHighWaterMark: settings.xsubRcvhwm,
      receiveBufferSize: settings.xsubRcvbuf,
    });
    this.reconnectHold = new ReconnectHold(
      settings.reconnectHoldMs,
      () => this.publisher.releaseHeld(),
      (unclaimed) => this.publisher.dropHeld(unclaimed),
      (change) => this.emit(change),
      this.liveSubscriptions,
    );
    this.publisher = new SocketWriter(
      this.xpub,
      settings.publishQueueSize,
      (reason, error, frames) => this.publishFailed(reason, error, this.weightOf(frames)),
      (frames) => {
        this.counters.eventsPublished += this.weightOf(frames);
      },
      settings.hwmWaitMs,
      (error) => this.internalError(error),
      // The XPUB's sends never wait (sendTimeout 0, and an XPUB always reports room): publishWhenReady() callers
      // are woken once a batch fits, not once per message sent.
      Math.max(1, Math.min(64, Math.floor(settings.publishQueueSize / 4))),
      this.reconnectHold,
    );
    this.subscriber = new SocketWriter(
      this.xsub,
      0,
      (reason, error) => {
        if (reason === "error") this.emit({ type: "error", error: asError(error) });
      },
      undefined,
      0,
      (error) => this.internalError(error),
    );
    this.batcher =
      settings.batching === undefined
        ? undefined
        : new EventBatcher(
            settings.format,
            settings.batching,
            (topic, payload, events) => {
              const frames = [this.topicFrame(topic), this.idBytes, BATCH_FORMAT, payload];
              this.batchWeights.set(frames, events);
              return this.publisher.enqueue(frames);
            },
            (events) => this.count("publishQueueDrops", "the publish queue is full", events),
          );
    this.watch(this.xpub.events, "xpub");
    this.watch(this.xsub.events, "xsub");
    for (const socket of [this.xpub, this.xsub]) {
      watchHandshakes(
        socket,
        (error) => this.handshakeFailed(error),
        (error) => this.log(error.message),
      );
    }
    this.xsub.connect(settings.connectXsubEndpoint);
    this.xpub.connect(settings.connectXpubEndpoint);
    this.debugThread("node started");
    this.receiveEvents().catch((error: unknown) => this.internalError(error));
    this.receiveSubscriptions().catch((error: unknown) => this.internalError(error));
  }

  // ---- subscriptions -------------------------------------------------------------------------------------------

  async subscribe(
    prefix: string,
    options: { readonly confirm?: boolean; readonly timeoutMs?: number } = {},
  ): Promise<void> {
    this.assertOpen();
    const { confirm = true, timeoutMs = 10_000 } = options;
    const echoed = confirm ? this.awaitEcho(prefix, timeoutMs) : undefined;
    this.reconnectHold.ownSubscription(Buffer.from(prefix, "utf8"));
    this.subscriber.enqueue([encodeSubscription(prefix, true)]);
    await echoed;
  }

  async unsubscribe(prefix: string): Promise<void> {
    this.assertOpen();
    this.reconnectHold.ownUnsubscription(Buffer.from(prefix, "utf8"));
    this.subscriber.enqueue([encodeSubscription(prefix, false)]);
  }

  remoteSubscriptions(): ReadonlySet<string> {
    return this.seen;
  }

  waitForSubscriber(topic: string, timeoutMs = 10_000): Promise<void> {
    if (this.state === "closed") return Promise.reject(this.closedError());
    const bytes = Buffer.from(topic, "utf8");
    if (this.liveSubscriptions.matches(bytes)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = makeWaiter(resolve, reject, timeoutMs, () => {
        this.subscriberWaiters = this.subscriberWaiters.filter((other) => other.waiter !== waiter);
        return new ZmqcError("TIMEOUT", `no subscriber for '${topic}' within ${timeoutMs} ms`, {
          retriable: true,
        });
      });
      this.subscriberWaiters.push({ topic: bytes, waiter });
    });
  }

  private awaitEcho(prefix: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiters = this.confirmations.get(prefix) ?? [];
      const waiter = makeWaiter(resolve, reject, timeoutMs, () => {
        const left = this.confirmations.get(prefix)?.filter((other) => other !== waiter);
        if (left?.length) this.confirmations.set(prefix, left);
        else this.confirmations.delete(prefix);
        return new ZmqcError(
          "TIMEOUT",
          `subscription to '${prefix}' not confirmed by the broker within ${timeoutMs} ms`,
          { retriable: true },
        );
      });
      waiters.push(waiter);
      this.confirmations.set(prefix, waiters);
    });
  }

  private async receiveSubscriptions(): Promise<void> {
    this.debugThread("xpub loop started");
    let inRound = 0;
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await this.xpub.receive();
      } catch {
        break; // the socket closed
      }
      // A catch-all per message: nothing unexpected may end the loop.
      try {
        const frame = frames[0];
        if (frames.length !== 1 || frame === undefined) {
          this.count("msgErrors", `xpub: expected 1 part, have ${frames.length}`);
        } else if (frame[0] === 0 || frame[0] === 1) {
          this.onSubscriptionFrame(frame[0] === 1, frame);
        }
        // Zeek ignores frames that are not 0x00/0x01 subscriptions.
      } catch (error) {
        this.internalError(error);
      }
      if (++inRound >= this.fairnessBudget()) {
        inRound = 0;
        await yieldToLoop();
      }
    }
    this.debugThread("xpub loop stopped");
  }

  private onSubscriptionFrame(subscribe: boolean, frame: Buffer): void {
    // The prefix's bytes as they are (ZeroMQ matches bytes; text decoding would merge prefixes that are not
    // UTF-8): the hold and waitForSubscriber() go by them.
    const prefix = frame.subarray(1);
    this.reconnectHold.subscriptionFrame(prefix, subscribe);
    if (subscribe && this.subscriberWaiters.length > 0) this.wakeSubscriberWaiters(prefix);
    // The statuses and remoteSubscriptions() name prefixes as text: a prefix that is not UTF-8 has none.
    if (!isUtf8(prefix)) return;
    const topic = prefix.toString("utf8");
    if (subscribe) {
      // VERBOSE repeats a prefix once per subscriber; Zeek raises `subscription` once per prefix.
      if (!this.seen.has(topic)) {
        this.seen.add(topic);
        this.emit({ type: "subscription", topic });
      }
      const waiters = this.confirmations.get(topic);
      if (waiters) {
        this.confirmations.delete(topic);
        for (const waiter of waiters) waiter.resolve();
      }
    } else {
      this.seen.delete(topic);
      this.emit({ type: "unsubscription", topic });
    }
  }

  /** A subscription to `prefix` came: settles the waitForSubscriber() calls whose topic it matches. */
  private wakeSubscriberWaiters(prefix: Buffer): void {
    const matched: Waiter[] = [];
    const waiting: typeof this.subscriberWaiters = [];
    for (const entry of this.subscriberWaiters)
      if (startsWith(entry.topic, prefix)) matched.push(entry.waiter);
      else waiting.push(entry);
    if (matched.length === 0) return;
    this.subscriberWaiters = waiting;
    for (const waiter of matched) waiter.resolve();
  }

  // ---- publishing ----------------------------------------------------------------------------------------------

  publish(topic: string, event: ZeekEvent): boolean {
    this.assertOpen();
    if (this.take(topic, event)) return true;
    this.count("publishQueueDrops", "the publish queue is full");
    return false;
  }

  async publishWhenReady(
    topic: string,
    event: ZeekEvent,
    options: { readonly timeoutMs?: number } = {},
  ): Promise<void> {
    this.assertOpen();
    if (this.take(topic, event)) return;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = hasTimer(timeoutMs) ? Date.now() + timeoutMs : undefined;
    do await this.roomBefore(deadline, timeoutMs, "the event was not taken");
    while (!this.take(topic, event));
  }

  publishMany(topic: string, events: readonly ZeekEvent[]): number {
    this.assertOpen();
    const taken = this.takeMany(topic, events, 0);
    if (taken < events.length)
      this.count("publishQueueDrops", "the publish queue is full", events.length - taken);
    return taken;
  }

  async publishManyWhenReady(
    topic: string,
    events: readonly ZeekEvent[],
    options: { readonly timeoutMs?: number } = {},
  ): Promise<void> {
    this.assertOpen();
    let taken = this.takeMany(topic, events, 0);
    if (taken === events.length) return;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = hasTimer(timeoutMs) ? Date.now() + timeoutMs : undefined;
    while (taken < events.length) {
      await this.roomBefore(deadline, timeoutMs, `took ${taken} of ${events.length} events`);
      taken += this.takeMany(topic, events, taken);
    }
  }

  /**
   * Takes one event if the publish queue has room (checked before encoding): into the topic's open batch, or as
   * a message of its own. False when the queue is full.
   */
  private take(topic: string, event: ZeekEvent): boolean {
    if (this.publisher.full) return false;
    if (this.batcher) this.batcher.add(topic, event);
    else
      this.publisher.enqueue([
        this.topicFrame(topic),
        this.idBytes,
        this.formatBytes,
        this.codec.encode(event),
      ]);
    return true;
  }

  /** Takes `events` from index `from` on while the publish queue has room; returns how many it took. */
  private takeMany(topic: string, events: readonly ZeekEvent[], from: number): number {
    const { publisher, batcher } = this;
    let i = from;
    if (batcher) {
      // Batches reach the queue only as they fill, so one check per event is all backpressure costs here.
      for (; i < events.length && !publisher.full; i++) batcher.add(topic, events[i] as ZeekEvent);
    } else {
      const topicFrame = this.topicFrame(topic);
      for (; i < events.length && !publisher.full; i++)
        publisher.enqueue([
          topicFrame,
          this.idBytes,
          this.formatBytes,
          this.codec.encode(events[i] as ZeekEvent),
        ]);
    }
    return i - from;
  }

  /** Frame 0 for a topic: the last one is kept, as a burst goes to one topic (frames are never written to). */
  private topicFrame(topic: string): Buffer {
    if (topic !== this.lastTopic) {
      this.lastTopic = topic;
      this.lastTopicFrame = Buffer.from(topic);
    }
    return this.lastTopicFrame;
  }

  /** Waits for room in the publish queue until `deadline` (undefined: no limit); rejects with BACKPRESSURE. */
  private async roomBefore(deadline: number | undefined, timeoutMs: number, detail: string): Promise<void> {
    try {
      await this.publisher.waitForRoom(deadline === undefined ? -1 : Math.max(0, deadline - Date.now()));
    } catch (error) {
      if (!(error instanceof RoomTimeout)) throw error;
      throw new ZmqcError("BACKPRESSURE", `the publish queue stayed full for ${timeoutMs} ms (${detail})`, {
        retriable: true,
      });
    }
    this.assertOpen();
  }

  /** Events in a message this node sent: 1, or a batch's count. */
  private weightOf(frames: readonly Uint8Array[]): number {
    // Without batching every message is one event: no lookup on the hot path.
    return this.batcher === undefined ? 1 : (this.batchWeights.get(frames) ?? 1);
  }

  private publishFailed(reason: WriteFailure, error: unknown, events: number): void {
    if (reason === "hwm") this.count("xpubDrops", "xpub at its HWM", events);
    else if (reason === "unclaimed")
      this.count("reconnectDrops", `no subscriber within ${this.settings.reconnectHoldMs} ms`, events);
    else if (reason === "closed") this.counters.closeDrops += events;
    else this.emit({ type: "error", error: asError(error) });
  }

  // ---- receiving -----------------------------------------------------------------------------------------------

  on(definition: EventDefinition | string, callback: (args: never, event: never) => void): () => void {
    const handler: Handler = {
      definition: typeof definition === "string" ? undefined : definition,
      callback: (event) => (callback as (args: unknown, event: ReceivedEvent) => void)(event.args, event),
    };
    return this.addHandler(typeof definition === "string" ? definition : definition.name, handler);
  }

  events(definition?: EventDefinition | string): AsyncIterableIterator<ReceivedEvent<never>> {
    // Leaving the iteration removes the handler, so an abandoned stream neither leaks nor counts drops.
    let remove = () => {};
    const channel = new Channel<ReceivedEvent>(this.settings.onloopQueueHwm, () => remove());
    const handler: Handler = { definition: typeof definition === "object" ? definition : undefined, channel };
    if (definition === undefined) {
      this.catchAll = [...this.catchAll, handler];
      remove = () => {
        this.catchAll = this.catchAll.filter((other) => other !== handler);
      };
    } else {
      remove = this.addHandler(typeof definition === "string" ? definition : definition.name, handler);
    }
    if (this.state === "closed") channel.close();
    return channel as unknown as AsyncIterableIterator<ReceivedEvent<never>>;
  }

  private addHandler(name: string, handler: Handler): () => void {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
    return () => {
      const remaining = (this.handlers.get(name) ?? []).filter((other) => other !== handler);
      if (remaining.length) this.handlers.set(name, remaining);
      else this.handlers.delete(name);
      handler.channel?.close();
    };
  }

  private async receiveEvents(): Promise<void> {
    this.debugThread("xsub loop started");
    let inRound = 0;
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await this.xsub.receive();
      } catch {
        break; // the socket closed
      }
      // A catch-all per message: nothing unexpected may end the loop.
      try {
        this.onMessage(frames);
      } catch (error) {
        this.internalError(error);
      }
      if (++inRound >= this.fairnessBudget()) {
        if (this.settings.debugPoll) this.log(`[zeromq] xsub: read ${inRound} messages, yielding`);
        inRound = 0;
        await yieldToLoop();
      }
    }
    this.debugThread("xsub loop stopped");
  }

  private onMessage(frames: Buffer[]): void {
    if (frames.length !== 4) {
      this.count("msgErrors", `xsub: error: expected 4 parts, have ${frames.length}`);
      return;
    }
    const [topicFrame, sender, format, payload] = frames as [Buffer, Buffer, Buffer, Buffer];
    // Self-echo: the broker sends our own events back to us; Zeek drops them by the sender frame.
    if (sameBytes(sender, this.idBytes)) {
      this.counters.selfEchoes++;
      return;
    }
    if (sameBytes(format, BATCH_FORMAT)) {
      this.onBatch(topicFrame, sender, payload);
      return;
    }
    if (!sameBytes(format, this.formatBytes)) {
      this.count(
        "formatErrors",
        `ProcessEventMessage: Wrong format: ${format.toString("latin1")} vs ${this.format}`,
      );
      return;
    }
    this.receiveEvent(this.topicText.of(topicFrame), this.senderText.of(sender), payload);
  }

  /** A zmqc-batch-v1 message: each event in it as if it had come alone, in order (SPEC.md §6.1). */
  private onBatch(topicFrame: Buffer, sender: Buffer, payload: Buffer): void {
    let batch: EventBatch;
    try {
      // A plain Uint8Array view: the payload views cut from it are several times cheaper than Buffer#subarray's.
      batch = decodeEventBatch(new Uint8Array(payload.buffer, payload.byteOffset, payload.length));
    } catch (error) {
      if (!DecodeError.isDecodeError(error)) throw error;
      this.count(
        "decodeErrors",
        `Failed to unserialize batch: ${topicFrame.toString("utf8")}: ${error.message}`,
      );
      return;
    }
    if (batch.format !== this.format) {
      const detail = `ProcessEventMessage: Wrong format: ${ZMQC_BATCH_V1} of ${batch.format} vs ${this.format}`;
      this.count("formatErrors", detail, batch.payloads.length);
      return;
    }
    // The topic and sender are the same for every event of a batch: made into strings once.
    const topic = this.topicText.of(topicFrame);
    const senderId = this.senderText.of(sender);
    for (const event of batch.payloads) this.receiveEvent(topic, senderId, event);
  }

  /** Decodes one event payload in this node's format and dispatches it. */
  private receiveEvent(topic: string, sender: string, payload: Uint8Array): void {
    let decoded: DecodedEvent;
    try {
      decoded = this.codec.decode(payload);
    } catch (error) {
      if (!DecodeError.isDecodeError(error)) throw error;
      this.count("decodeErrors", `Failed to unserialize message: ${topic}: ${error.message}`);
      return;
    }
    this.counters.eventsReceived++;
    this.dispatch({
      name: decoded.name,
      args: decoded.args as never,
      topic,
      sender,
      metadata: decoded.metadata,
    });
  }

  /**
   * Hands an event to its handlers and counts one outcome for it: delivered (some handler took it), dropped
   * (`onloopDrops`: every handler that would have taken it had a full queue), a type error (`typeErrors`: the only
   * handlers for it expected other arguments) or unhandled (`unhandledEvents`: no handler at all). So
   * `eventsReceived` = delivered + onloopDrops + typeErrors + unhandledEvents.
   */
  private dispatch(event: ReceivedEvent): void {
    // The lists are copied on write: what a callback adds or removes takes effect from the next event.
    const named = this.handlers.get(event.name) ?? NO_HANDLERS;
    const catchAll = this.catchAll;
    let delivered = false;
    let full = 0;
    let mismatch: string | undefined;
    for (const handler of named) {
      const wrong = handler.definition?.mismatch(event.args as readonly ZeekValue[]);
      if (wrong) {
        mismatch ??= wrong;
        continue;
      }
      const outcome = this.deliver(handler, event);
      if (outcome === "delivered") delivered = true;
      else if (outcome === "full") full++;
    }
    for (const handler of catchAll) {
      const outcome = this.deliver(handler, event);
      if (outcome === "delivered") delivered = true;
      else if (outcome === "full") full++;
    }
    if (full > 0) this.counters.handlerQueueDrops += full;
    if (delivered) return;
    if (full > 0) this.count("onloopDrops", "onloop queue full");
    else if (mismatch !== undefined)
      this.count("typeErrors", `Unserialize error for event '${event.name}': ${mismatch}`);
    else this.counters.unhandledEvents++;
  }

  private deliver(handler: Handler, event: ReceivedEvent): "delivered" | "full" | "gone" {
    if (handler.callback) {
      try {
        handler.callback(event);
      } catch (error) {
        this.emit({ type: "error", error: asError(error) });
      }
      return "delivered";
    }
    if (handler.channel && !handler.channel.closed) return handler.channel.push(event) ? "delivered" : "full";
    return "gone";
  }

  // ---- status, stats, lifecycle ----------------------------------------------------------------------------------

  status(): AsyncIterableIterator<NodeStatus> {
    const channel: Channel<NodeStatus> = new Channel<NodeStatus>(10_000, () =>
      this.statusListeners.delete(channel),
    );
    if (this.state === "closed") channel.close();
    else this.statusListeners.add(channel);
    return channel;
  }

  stats(): NodeStats {
    let pendingEvents = 0;
    for (const list of this.handlers.values())
      for (const handler of list) pendingEvents += handler.channel?.size ?? 0;
    for (const handler of this.catchAll) pendingEvents += handler.channel?.size ?? 0;
    // Spelled out rather than `{ ...this.counters }`: a producer may read stats() once per event, and a literal
    // is several times cheaper than a spread plus two more properties.
    const c = this.counters;
    return {
      eventsPublished: c.eventsPublished,
      eventsReceived: c.eventsReceived,
      xpubDrops: c.xpubDrops,
      publishQueueDrops: c.publishQueueDrops,
      closeDrops: c.closeDrops,
      reconnectDrops: c.reconnectDrops,
      onloopDrops: c.onloopDrops,
      handlerQueueDrops: c.handlerQueueDrops,
      msgErrors: c.msgErrors,
      formatErrors: c.formatErrors,
      decodeErrors: c.decodeErrors,
      typeErrors: c.typeErrors,
      unhandledEvents: c.unhandledEvents,
      internalErrors: c.internalErrors,
      selfEchoes: c.selfEchoes,
      statusDrops: c.statusDrops,
      pendingEvents,
      pendingPublishes: this.publisher.pending,
    };
  }

  ready(timeoutMs = 10_000): Promise<void> {
    if (this.state === "closed") return Promise.reject(this.closedError());
    if (this.connectedSockets.size === 2) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = makeWaiter(resolve, reject, timeoutMs, () => {
        this.readyWaiters = this.readyWaiters.filter((other) => other !== waiter);
        return new ZmqcError("TIMEOUT", `not connected to the broker within ${timeoutMs} ms`, {
          retriable: true,
        });
      });
      this.readyWaiters.push(waiter);
    });
  }

  drain(): Promise<void> {
    // A second drain() shares the first one's wait instead of closing at once.
    if (this.draining) return this.draining;
    if (this.state !== "open") return this.close();
    this.state = "draining";
    this.draining = (async () => {
      const { lingerMs } = this.settings;
      this.batcher?.flushAll();
      if (lingerMs !== 0) await this.publisher.flush(lingerMs);
      await this.close();
    })();
    return this.draining;
  }

  /** Zeek's fatal handshake failure: reported once, and (by default) the node closes with it. */
  private handshakeFailed(error: HandshakeError): void {
    // libzmq retries the connection and fails again every reconnect interval: one report is enough.
    if (this.handshakeReported || this.state === "closed") return;
    this.handshakeReported = true;
    this.log(error.message);
    this.emit({ type: "error", error });
    if (this.settings.onHandshakeFailure === "warn") return;
    this.failure = error;
    void this.close();
  }

  async close(): Promise<void> {
    if (this.state === "closed") {
      await this.closed;
      return;
    }
    this.state = "closed";
    this.reconnectHold.close();
    this.batcher?.discard();
    this.publisher.close();
    this.subscriber.close();
    this.xpub.close();
    this.xsub.close();
    // Nothing pending is confirmed by a close: subscribe(), ready() and waitForSubscriber() waiters reject with CLOSED.
    const pending = [...this.confirmations.values()]
      .flat()
      .concat(this.readyWaiters.splice(0))
      .concat(this.subscriberWaiters.splice(0).map(({ waiter }) => waiter));
    this.confirmations.clear();
    for (const waiter of pending) waiter.reject(this.closedError());
    for (const list of this.handlers.values()) for (const handler of list) handler.channel?.close();
    for (const handler of this.catchAll) handler.channel?.close();
    // The final status reaches every listener, a full one too (it bypasses the capacity).
    for (const listener of this.statusListeners) {
      listener.push({ type: "closed", error: this.failure }, true);
      listener.close();
    }
    this.statusListeners.clear();
    this.debugThread("node closed");
    this.resolveClosed(this.failure);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private assertOpen(): void {
    if (this.state !== "open") throw this.closedError();
  }

  private closedError(): ZmqcError {
    return new ZmqcError(
      "CLOSED",
      `node ${this.nodeId} is ${this.state === "draining" ? "draining" : "closed"}`,
    );
  }

  private fairnessBudget(): number {
    // 0 = no cap (Zeek); we still yield now and then so one socket cannot hold the event loop forever.
    return this.settings.pollMaxMessages > 0 ? this.settings.pollMaxMessages : 10_000;
  }

  private count(counter: DropCounter, detail: string, amount = 1): void {
    this.counters[counter] += amount;
    if (this.warned.has(counter)) return;
    this.warned.add(counter);
    const message = `${DROP_WARNINGS[counter]} (${detail})`;
    this.log(message);
    this.emit({ type: "dropWarning", counter, message });
  }

  private emit(status: NodeStatus): void {
    // A status stream nobody reads fills up (10 000 entries); what it cannot take is counted, not lost silently.
    for (const listener of this.statusListeners)
      if (!listener.push(status) && !listener.closed) this.counters.statusDrops++;
  }

  private debugThread(line: string): void {
    if (this.settings.debugThread) this.log(`[zeromq] ${line} (${this.nodeId})`);
  }

  /** Calls the `log` setting; one that throws is counted as an internal error, never thrown into our loops. */
  private log(line: string): void {
    try {
      this.settings.log(line);
    } catch (error) {
      this.internalError(error);
    }
  }

  /** Something unexpected went wrong inside a loop: counted (`internalErrors`), emitted as `error`, and we go on. */
  private internalError(error: unknown): void {
    this.counters.internalErrors++;
    this.emit({ type: "error", error: asError(error) });
  }

  private watch(observer: Observer, socket: "xpub" | "xsub"): void {
    observer.on("connect", (event) => {
      if (socket === "xpub") this.reconnectHold.reconnected();
      this.connectedSockets.add(socket);
      this.emit({ type: "connected", socket, endpoint: event.address });
      if (this.connectedSockets.size === 2)
        for (const waiter of this.readyWaiters.splice(0)) waiter.resolve();
    });
    observer.on("disconnect", (event) => {
      // Before anyone hears of it: nothing published from now on reaches ZeroMQ until its subscriber is back.
      if (socket === "xpub" && this.state !== "closed") this.reconnectHold.disconnected();
      this.connectedSockets.delete(socket);
      this.emit({ type: "disconnected", socket, endpoint: event.address });
    });
    observer.on("connect:retry", (event) => {
      this.emit({ type: "reconnecting", socket, endpoint: event.address, intervalMs: event.interval });
    });
  }
}

/** A pending promise's settlers, with its timer (if any) cleared on either outcome. */
interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * A waiter whose timer rejects with `onTimeout()`'s error after `timeoutMs`. The timer is unref'd (a pending wait
 * does not hold the process), and a negative, non-finite or larger than 2^31-1 ms timeout sets none (Node would
 * turn it into 1 ms).
 */
function makeWaiter(
  resolve: () => void,
  reject: (error: Error) => void,
  timeoutMs: number,
  onTimeout: () => Error,
): Waiter {
  const timer = hasTimer(timeoutMs) ? setTimeout(() => reject(onTimeout()), timeoutMs) : undefined;
  timer?.unref();
  return {
    resolve() {
      clearTimeout(timer);
      resolve();
    },
    reject(error) {
      clearTimeout(timer);
      reject(error);
    },
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
