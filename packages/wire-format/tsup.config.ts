import { zmqcLibrary } from "@zmqc/tsup-config";

export default zmqcLibrary({
  entry: {
    index: "src/index.ts",
    conformance: "src/conformance/index.ts",
    "conformance-cli": "src/conformance/cli.ts",
  },
});
