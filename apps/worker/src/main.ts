#!/usr/bin/env node
// zmqc-worker: the whole program is the shared role runtime; see `zmqc-worker --help`.
import { runRoleMain } from "@zmqc/cli/role";

await runRoleMain("worker", process.argv.slice(2));
