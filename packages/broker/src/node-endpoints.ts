/** Where a node connects to a broker, under the node's option names (Zeek's `connect_*_endpoint`). */
export interface NodeEndpoints {
  /** The node's XPUB connects to the broker's XSUB. */
  readonly connectXpubEndpoint: string;
  /** The node's XSUB connects to the broker's XPUB. */
  readonly connectXsubEndpoint: string;
}

/**
 * The endpoints a node connects to this broker with: Zeek names each side after the node's own socket, so the
 * broker's XSUB endpoint is the node's `connectXpubEndpoint` and its XPUB endpoint the node's
 * `connectXsubEndpoint` — crossed, and easy to get wrong by hand. Takes any broker that reports its bound
 * endpoints (`startBroker`'s, `spawnBroker`'s).
 *
 * @example
 * ```ts
 * await using broker = await startBroker({ listenXpubEndpoint: "tcp://127.0.0.1:*", listenXsubEndpoint: "tcp://127.0.0.1:*" });
 * await using node = await connect({ name: "worker-1", ...nodeEndpoints(broker) }); // @zmqc/pubsub
 * ```
 */
export function nodeEndpoints(broker: {
  readonly xpubEndpoint: string;
  readonly xsubEndpoint: string;
}): NodeEndpoints {
  return { connectXpubEndpoint: broker.xsubEndpoint, connectXsubEndpoint: broker.xpubEndpoint };
}
