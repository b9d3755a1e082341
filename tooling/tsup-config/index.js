// Plain JavaScript for the same reason as @zmqc/vitest-config: tsup loads it through Node.
import { defineConfig } from "tsup";

/**
 * The build every published package uses: ESM only, `.d.ts` beside each entry, target Node 20, source maps,
 * dependencies left external (zeromq is a native addon and must never be bundled).
 *
 * @param {{ entry?: string[] | Record<string, string> }} [options]
 */
export function zmqcLibrary({ entry = ["src/index.ts"] } = {}) {
  return defineConfig({
    entry,
    format: ["esm"],
    target: "node20",
    platform: "node",
    // The published types must point at other packages' dist/, not their src/.
    dts: { compilerOptions: { customConditions: [], noEmit: false } },
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
  });
}
