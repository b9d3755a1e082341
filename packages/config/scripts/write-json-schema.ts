// Writes zmqc.schema.json (the configuration file's JSON Schema) next to package.json.
// Run with `pnpm --filter @zmqc/config schema`; a test fails when the committed file is out of date.
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../src/json-schema.js";

const target = new URL("../zmqc.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
