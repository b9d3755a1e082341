import { type ClusterNode, connect } from "@zmqc/pubsub";
import type { Cleanup } from "@zmqc/zeek-harness";

/**
 * An in-process node named `name` on `broker` (linger 0, logging nothing), closed by `cleanup` at the end of the
 * test.
 */
export async function nodeOn(
  cleanup: Cleanup,
  name: string,
  broker: { readonly xpubEndpoint: string; readonly xsubEndpoint: string },
): Promise<ClusterNode> {
  return cleanup.add(
    await connect({
      name,
      connectXpubEndpoint: broker.xsubEndpoint,
      connectXsubEndpoint: broker.xpubEndpoint,
      lingerMs: 0,
      log: () => {},
    }),
    (n) => n.close(),
  );
}
