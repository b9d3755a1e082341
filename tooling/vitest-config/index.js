// Plain JavaScript on purpose: vitest loads its config files through Node, which cannot import
// TypeScript from node_modules on Node 20.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCE_CONDITION = "@zmqc/source";

/** True when the tests should run against the built `dist/` output instead of `src/`. */
export const testDist = process.env.TEST_DIST !== undefined && process.env.TEST_DIST !== "0";

/**
 * One exact-match alias per export of every workspace package, so `import "@zmqc/config"` in a test reads
 * `packages/config/src/index.ts` (no build needed) or, with TEST_DIST=1, the built `dist/index.js`.
 */
export function workspaceAliases() {
  const aliases = [];
  for (const group of ["packages", "apps", "tooling"]) {
    const groupDir = join(repoRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir)) {
      const pkgFile = join(groupDir, entry, "package.json");
      if (!existsSync(pkgFile)) continue;
      const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
      for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        if (typeof target !== "object" || target === null) continue;
        const file = testDist ? target.import : target[SOURCE_CONDITION];
        if (typeof file !== "string") continue;
        const specifier = subpath === "." ? pkg.name : `${pkg.name}${subpath.slice(1)}`;
        const escaped = specifier.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        aliases.push({ find: new RegExp(`^${escaped}$`), replacement: join(groupDir, entry, file) });
      }
    }
  }
  return aliases;
}

/**
 * The vitest project every package uses: unit tests beside the code (`src/**\/*.test.ts`) and integration
 * tests in `test/` (real sockets, real processes, real Zeek).
 *
 * @param {{ name: string, testTimeout?: number, hookTimeout?: number }} options
 */
export function zmqcProject({ name, testTimeout = 20_000, hookTimeout = 20_000 }) {
  return defineProject({
    resolve: { alias: workspaceAliases() },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      environment: "node",
      testTimeout,
      hookTimeout,
    },
  });
}

/** The `.ts` files in a package's `examples/` directory, sorted. */
export function examplesOf(packageDir) {
  return readdirSync(join(packageDir, "examples"))
    .filter((file) => file.endsWith(".ts"))
    .sort();
}

/**
 * Runs a TypeScript file of a package as a user would (`node --import tsx`, from source unless TEST_DIST=1) in a
 * child process, with extra node flags if given, and resolves with its exit status and output; a child still
 * running after `timeoutMs` is killed (status null). Asynchronous, so a test's other work and timers go on.
 *
 * @param {string} packageDir
 * @param {string} script - relative to packageDir
 * @param {{ timeoutMs?: number, nodeFlags?: readonly string[] }} [options]
 */
export function runScript(packageDir, script, { timeoutMs = 30_000, nodeFlags = [] } = {}) {
  const conditions = testDist ? [] : [`--conditions=${SOURCE_CONDITION}`];
  const child = spawn(process.execPath, [...nodeFlags, ...conditions, "--import", "tsx", script], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolvePromise, reject) => {
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr });
    });
  });
}

/** Runs `examples/<file>` of a package with {@link runScript}. */
export function runExample(packageDir, file, options = {}) {
  return runScript(packageDir, join("examples", file), options);
}
