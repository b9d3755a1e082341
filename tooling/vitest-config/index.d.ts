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
