import { zmqcProject } from "@zmqc/vitest-config";

export default zmqcProject({ name: "reliability", testTimeout: 30_000, hookTimeout: 20_000 });
