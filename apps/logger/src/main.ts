#!/usr/bin/env node
// zmqc-logger: the whole program is the shared role runtime; see `zmqc-logger --help`.
import { runRoleMain } from "@zmqc/cli/role";

await runRoleMain("logger", process.argv.slice(2));
