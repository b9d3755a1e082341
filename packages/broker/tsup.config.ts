import { zmqcLibrary } from "@zmqc/tsup-config";

// The managed mode's worker thread is an entry of its own: startBroker() starts dist/managed-worker.js.
export default zmqcLibrary({
  entry: { index: "src/index.ts", testing: "src/testing.ts", "managed-worker": "src/managed/worker.ts" },
});
