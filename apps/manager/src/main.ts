#!/usr/bin/env node
// zmqc-manager: the whole program is the shared role runtime; see `zmqc-manager --help`.
import { runRoleMain } from "@zmqc/cli/role";

await runRoleMain("manager", process.argv.slice(2));
