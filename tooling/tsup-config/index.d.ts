import type { Options } from "tsup";

/** The shared tsup build for a published zmqc package. */
export declare function zmqcLibrary(options?: {
  entry?: string[] | Record<string, string>;
}): Options | Options[];
