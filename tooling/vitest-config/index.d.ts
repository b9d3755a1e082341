import type { UserWorkspaceConfig } from "vitest/config";

/** True when the tests run against the built `dist/` output (TEST_DIST=1). */
export declare const testDist: boolean;
/** Exact-match aliases from each workspace package's exports to its src (or dist) files. */
export declare function workspaceAliases(): { find: RegExp; replacement: string }[];
/** The shared vitest project preset. */
export declare function zmqcProject(options: {
  name: string;
  testTimeout?: number;
  hookTimeout?: number;
}): UserWorkspaceConfig;
/** The `.ts` files in a package's `examples/` directory, sorted. */
export declare function examplesOf(packageDir: string): string[];
/** What {@link runExample} saw: the exit status (null when killed), the signal, and the output. */
export interface ExampleRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}
/**
 * Runs a TypeScript file of a package (`script`, relative to `packageDir`) as a user would (`node --import tsx`,
 * from source unless TEST_DIST=1) in a child process, with extra `nodeFlags`; a child still running after
 * `timeoutMs` (default 30 000) is killed.
 */
export declare function runScript(
  packageDir: string,
  script: string,
  options?: { timeoutMs?: number; nodeFlags?: readonly string[] },
): Promise<ExampleRun>;
/** Runs `examples/<file>` of a package with {@link runScript}. */
export declare function runExample(
  packageDir: string,
  file: string,
  options?: { timeoutMs?: number; nodeFlags?: readonly string[] },
): Promise<ExampleRun>;
