import type { BrokerMode } from "./options.js";
import type { BrokerStats } from "./stats.js";

/** A running broker: the hub every node connects its XPUB and XSUB to. */
export interface Broker extends AsyncDisposable {
  readonly mode: BrokerMode;
  /** The bound XPUB endpoint (ports given as `*` resolved): nodes connect their XSUB here (`connectXsubEndpoint`). */
  readonly xpubEndpoint: string;
  /** The bound XSUB endpoint: nodes connect their XPUB here (`connectXpubEndpoint`). */
  readonly xsubEndpoint: string;
  /** What the broker has done so far. */
  stats(): BrokerStats;
  /**
   * The live subscription table, prefix → number of subscribers, from the XPUB's VERBOSER frames (managed mode;
   * undefined in native mode, where libzmq keeps it to itself). The frames do not say which peer sent them, so a
   * peer that subscribes to one prefix twice counts twice but leaves once (its XSUB sends the unsubscribe only
   * for the last reference): that prefix keeps a count one too high for good. libzmq's own table is per peer
   * and forwarding is not affected.
   */
  subscriptions(): Promise<ReadonlyMap<string, number> | undefined>;
  /** Messages forwarded per topic (managed mode; undefined in native mode). */
  topicCounts(): Promise<ReadonlyMap<string, bigint> | undefined>;
  /** Stops forwarding; messages queue up to the HWMs (and subscriptions wait) until {@link resume}. */
  pause(): void;
  resume(): void;
  /** Stops forwarding and closes both sockets (their linger honoured). Idempotent. */
  close(): Promise<void>;
  /** Resolves when the broker has stopped: undefined after close(), the error if it failed. Never rejects. */
  readonly closed: Promise<Error | undefined>;
}
