#!/usr/bin/env node
// zmqc-broker: the whole program is the shared role runtime; see `zmqc-broker --help`.
import { runRoleMain } from "@zmqc/cli/role";

await runRoleMain("broker", process.argv.slice(2));
