import { zmqcLibrary } from "@zmqc/tsup-config";

export default zmqcLibrary({ entry: { index: "src/index.ts", testing: "src/testing.ts" } });
