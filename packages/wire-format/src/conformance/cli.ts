#!/usr/bin/env node
// zmqc-wire-conformance: runs the conformance vectors against zmqc itself (--self) or against any program
// (`-- <command> [args…]`, called once per vector as `<command> [args…] <expect> <format> <kind>` with the bytes on
// stdin). Prints one line per failure and "N passed, N failed" last; exits 1 when anything failed.
import { parseArgs } from "node:util";
import { commandImplementation, runConformance } from "./run.js";
import { conformanceVectors } from "./vectors.js";
import { zmqcImplementation } from "./zmqc.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    self: { type: "boolean", default: false },
    format: { type: "string", multiple: true },
    verbose: { type: "boolean", short: "v", default: false },
  },
});

const [command, ...args] = positionals;
if (!values.self && command === undefined) {
  console.error("usage: zmqc-wire-conformance --self | -- <command> [args…]   [--format NAME]… [--verbose]");
  process.exit(2);
}
const formats = values.format;
const vectors = conformanceVectors().filter((vector) => !formats || formats.includes(vector.format));
const implementation = values.self ? zmqcImplementation() : commandImplementation(command as string, args);
const results = runConformance(implementation, vectors);
for (const result of results) {
  if (!result.passed) console.log(`FAIL ${result.id}: ${result.detail}`);
  else if (values.verbose) console.log(`ok   ${result.id}`);
}
const failed = results.filter((result) => !result.passed).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
