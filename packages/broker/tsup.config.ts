import { zmqcLibrary } from "@zmqc/tsup-config";

// The managed mode's worker thread and the broker runner are entries of their own: startBroker() starts
// dist/managed-worker.js, spawnBroker() (./testing) runs dist/broker-runner.js in a child process.
export default zmqcLibrary({
  entry: {
    index: "src/index.ts",
    testing: "src/testing.ts",
    "managed-worker": "src/managed/worker.ts",
    "broker-runner": "src/runner.ts",
  },
});
