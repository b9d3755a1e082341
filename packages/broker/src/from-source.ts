// How the package starts its own scripts (the managed worker, the broker runner) both from the built dist/ and
// from its TypeScript sources (vitest, tsx in the monorepo), where they must run through tsx.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The `--conditions` flag that makes workspace packages resolve to their sources, as vitest and tsx use them. */
export const SOURCE_CONDITION = "--conditions=@zmqc/source";

/**
 * The URL of a script of this package, next to the module at `moduleUrl`: `sourceName` (a .ts file) when that
 * module runs from source, `builtName` (a tsup entry in dist/) otherwise.
 */
export function packageScript(
  moduleUrl: string,
  sourceName: string,
  builtName: string,
): { readonly url: URL; readonly fromSource: boolean } {
  const fromSource = fileURLToPath(moduleUrl).endsWith(".ts");
  return { url: new URL(fromSource ? sourceName : builtName, moduleUrl), fromSource };
}

function tsxManifest(): { path: string; exports: Record<string, unknown> } {
  const require = createRequire(import.meta.url);
  const path = require.resolve("tsx/package.json");
  return {
    path,
    exports: (JSON.parse(readFileSync(path, "utf8")) as { exports: Record<string, unknown> }).exports,
  };
}

/** The URL of tsx's ESM `register()` API (for a worker thread), read from tsx's own exports map. */
export function tsxRegisterUrl(): string {
  const { path, exports } = tsxManifest();
  const api = exports["./esm/api"] as { import: { default: string } };
  return pathToFileURL(join(dirname(path), api.import.default)).href;
}

/** The URL of tsx's loader, for `node --import <url>` (what `--import tsx` loads), read from tsx's exports map. */
export function tsxLoaderUrl(): string {
  const { path, exports } = tsxManifest();
  return pathToFileURL(join(dirname(path), exports["."] as string)).href;
}
