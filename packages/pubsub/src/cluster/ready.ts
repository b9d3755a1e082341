import type { ClusterNode } from "../node.js";

/**
 * Zeek's ready-to-publish check (`DoReadyToPublishCallback`): subscribe to `<internal prefix><node id>.<n>.`, wait
 * for that subscription's own echo on the XPUB (the broker replays every earlier subscription before it, so by then
 * this node's XPUB knows who subscribes to what and will not filter a publish out), then unsubscribe.
 *
 * @throws ZmqcError code TIMEOUT when the echo does not come within `timeoutMs`.
 */
export async function readyToPublish(
  node: ClusterNode,
  internalTopicPrefix: string,
  counter: number,
  timeoutMs: number,
): Promise<void> {
  const topic = `${internalTopicPrefix}${node.nodeId}.${counter}.`;
  await node.subscribe(topic, { timeoutMs });
  await node.unsubscribe(topic);
}
