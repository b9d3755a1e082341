import { zmqcLibrary } from "@zmqc/tsup-config";

export default zmqcLibrary({ entry: { zmqc: "src/zmqc.ts", role: "src/role/index.ts" } });
