import { Worker } from "node:worker_threads";
import { packageScript, SOURCE_CONDITION, tsxRegisterUrl } from "../from-source.js";
import type { ManagedWorkerData } from "./protocol.js";

/**
 * Starts the forwarding worker: dist/managed-worker.js in the built package (where this module is bundled into
 * dist/, tsup entry "managed-worker"), src/managed/worker.ts from source. From source, the worker is TypeScript:
 * Node 20 does not apply `--import tsx` hooks to a worker's entry module, so a one-line bootstrap registers tsx
 * inside the worker and then imports the entry, with the `@zmqc/source` condition so workspace packages resolve to
 * their sources too.
 */
export function spawnManagedWorker(workerData: ManagedWorkerData): Worker {
  const { url, fromSource } = packageScript(import.meta.url, "./worker.ts", "./managed-worker.js");
  if (!fromSource) return new Worker(url, { workerData });
  const bootstrap = `import(${JSON.stringify(tsxRegisterUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [SOURCE_CONDITION] });
}
