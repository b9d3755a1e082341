import { zmqcLibrary } from "@zmqc/tsup-config";

export default zmqcLibrary({ entry: ["src/index.ts"] });
