// The messages between the broker's thread and its forwarding worker. Errors cross as data (a class instance
// does not survive structured cloning) and are rebuilt as typed errors on the main thread.
import type { ResolvedBrokerOptions } from "../options.js";
import type { SharedMemory } from "./shared.js";

/** The worker's `workerData`. */
export interface ManagedWorkerData {
  readonly options: ResolvedBrokerOptions;
  readonly memory: SharedMemory;
}

/** What the worker can be asked for. */
export type WorkerQuery = "subscriptions" | "topics";

/** Main thread → worker. Pause and resume go through shared memory, not messages. */
export type ToWorker =
  | { readonly type: "close" }
  | { readonly type: "query"; readonly id: number; readonly query: WorkerQuery };

/** Worker → main thread. */
export type FromWorker =
  | { readonly type: "ready"; readonly xpubEndpoint: string; readonly xsubEndpoint: string }
  | {
      readonly type: "bind-failed";
      readonly socket: "xpub" | "xsub";
      readonly endpoint: string;
      readonly message: string;
      readonly code: string | undefined;
    }
  | {
      readonly type: "tap-failed";
      readonly path: string;
      readonly message: string;
      readonly code: string | undefined;
    }
  | { readonly type: "zap-refused"; readonly address: string; readonly mechanism: string }
  | {
      readonly type: "answer";
      readonly id: number;
      readonly value: Map<string, number> | Map<string, bigint>;
    }
  | {
      readonly type: "stopped";
      readonly subscriptions: Map<string, number>;
      readonly topics: Map<string, bigint>;
    };
