import { zmqcLibrary } from "@zmqc/tsup-config";

export default zmqcLibrary({ entry: { main: "src/main.ts" } });
