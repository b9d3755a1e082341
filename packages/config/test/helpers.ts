import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClusterLayout, clusterLayoutSchema } from "@zmqc/config";
import { afterEach } from "vitest";
import { parse } from "yaml";

const fixtures = new URL("./fixtures/", import.meta.url);

/** Path of a fixture file. */
export function fixturePath(name: string): string {
  return new URL(name, fixtures).pathname;
}

/** A layout fixture, validated. */
export function layoutFixture(name: string): ClusterLayout {
  const text = readFileSync(fixturePath(`layouts/${name}`), "utf8");
  return clusterLayoutSchema.parse(name.endsWith(".json") ? JSON.parse(text) : parse(text));
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes a file into a temporary directory removed after the test; returns its path. */
export function writeTempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-config-"));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
