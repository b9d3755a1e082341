import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ManagedWorkerData } from "./protocol.js";

// The worker's file next to this module: src/managed/worker.ts when running from source (vitest, tsx), and
// dist/managed-worker.js in the built package, where this module is bundled into dist/ (tsup entry
// "managed-worker").
const SOURCE_WORKER = "./worker.ts";
const BUILT_WORKER = "./managed-worker.js";

/** The URL of tsx's ESM `register()` API, read from tsx's own exports map. */
function tsxRegisterUrl(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    exports: { "./esm/api": { import: { default: string } } };
  };
  return pathToFileURL(join(dirname(manifestPath), manifest.exports["./esm/api"].import.default)).href;
}

/**
 * Starts the forwarding worker. From source, the worker is TypeScript: Node 20 does not apply `--import tsx`
 * hooks to a worker's entry module, so a one-line bootstrap registers tsx inside the worker and then imports the
 * entry, with the `@zmqc/source` condition so workspace packages resolve to their sources too.
 */
export function spawnManagedWorker(workerData: ManagedWorkerData): Worker {
  const fromSource = fileURLToPath(import.meta.url).endsWith(".ts");
  if (!fromSource) return new Worker(new URL(BUILT_WORKER, import.meta.url), { workerData });
  const entry = new URL(SOURCE_WORKER, import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxRegisterUrl())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: ["--conditions=@zmqc/source"] });
}
