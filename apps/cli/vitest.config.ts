import { zmqcProject } from "@zmqc/vitest-config";

export default zmqcProject({ name: "cli" });
