import { z } from "zod";
import { clusterProblems, deriveNodeOptions, type ResolvedCluster, resolveCluster } from "./cluster.js";
import { readConfigFile } from "./config-file.js";
import { LOADER_ENV, readEnvLayer, ZEEK_CURVE_ENV } from "./env.js";
import { ConfigError, type ConfigProblem, type ConfigSource } from "./errors.js";
import {
  type ClusterLayout,
  type ClusterLayoutInput,
  type ClusterNode,
  clusterLayoutSchema,
  clusterNodeSchema,
  nodeNameSchema,
} from "./layout.js";
import {
  type BackendOptionName,
  type BackendOptions,
  type BackendOptionsInput,
  backendOptionSpecs,
  backendOptionsLayerSchema,
  DEFAULT_BACKEND_OPTIONS,
} from "./options/index.js";
import { describeIssue, issuesToProblems, type KnownKeys } from "./problems.js";

/** What a configuration file (or the `overrides` argument) may hold: options, a layout, the node name. */
export const configFileSchema = backendOptionsLayerSchema.extend({
  /** A JSON Schema reference for editors (`zmqc.schema.json`); ignored. */
  $schema: z.string().optional(),
  /** This process's node name in the layout. Zeek: `Cluster::node` (env `CLUSTER_NODE`). */
  node: nodeNameSchema.optional().meta({ description: "This process's node name. Zeek: Cluster::node." }),
  /** The cluster layout. */
  cluster: clusterLayoutSchema.optional(),
});

/** A configuration file's content, or the `overrides` of loadConfig. */
export type ConfigInput = z.input<typeof configFileSchema>;

/** Where loadConfig reads from; every field is optional. */
export interface LoadConfigOptions {
  /** A JSON or YAML configuration file (default: `$ZMQC_CONFIG`). */
  readonly file?: string | undefined;
  /** A JSON or YAML file holding only the cluster layout (default: `$ZMQC_LAYOUT`); wins over the file's `cluster`. */
  readonly layoutFile?: string | undefined;
  /** Environment to read `ZMQC_*` variables from (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values that win over everything else. */
  readonly overrides?: ConfigInput | undefined;
  /** This process's node name; wins over `overrides.node`, `$ZMQC_NODE`, `$CLUSTER_NODE` and the file. */
  readonly node?: string | undefined;
  /** More `ZMQC_*` variable names the caller reads itself, so they are not reported as unknown. */
  readonly extraEnv?: readonly string[];
}

/** This process's node: its name, and its layout entry when a layout is configured. */
export interface ResolvedNode {
  readonly name: string;
  /** The node's entry in the layout; undefined when there is no layout. */
  readonly spec: ClusterNode | undefined;
}

/** The configuration in force, and where each value came from. */
export interface ResolvedConfig {
  /** Every option, with defaults filled in and the layout's derivations applied. */
  readonly options: BackendOptions;
  /** Which layer each option's value came from. */
  readonly sources: Readonly<Record<BackendOptionName, ConfigSource>>;
  /** For options not from defaults: the file, variable or argument that set it. */
  readonly origins: Readonly<Partial<Record<BackendOptionName, string>>>;
  readonly node: ResolvedNode | undefined;
  readonly cluster: ResolvedCluster | undefined;
  /** Non-fatal findings worth telling the operator, in Zeek's words where Zeek has them. */
  readonly warnings: readonly string[];
}

const OPTION_NAMES = Object.keys(backendOptionSpecs) as BackendOptionName[];
const CURVE_OPTIONS = Object.keys(ZEEK_CURVE_ENV) as BackendOptionName[];

const knownKeys: KnownKeys = (path) => {
  if (path.length === 0) return [...OPTION_NAMES, "node", "cluster"];
  if (path.length === 1 && path[0] === "cluster") return Object.keys(clusterLayoutSchema.shape);
  if (path.length === 3 && path[0] === "cluster") return Object.keys(clusterNodeSchema.shape);
  return [];
};

interface Layer {
  readonly source: ConfigSource;
  readonly values: Partial<Record<BackendOptionName, unknown>>;
  readonly origins: Partial<Record<BackendOptionName, string>>;
}

type ParsedInput = z.output<typeof configFileSchema>;

function parseInput(input: unknown, origin: string, problems: ConfigProblem[]): ParsedInput | undefined {
  const result = configFileSchema.safeParse(input, { error: describeIssue, reportInput: true });
  if (result.success) return result.data;
  problems.push(...issuesToProblems(result.error.issues, origin, knownKeys));
  return undefined;
}

function parseLayout(input: unknown, origin: string, problems: ConfigProblem[]): ClusterLayout | undefined {
  const result = clusterLayoutSchema.safeParse(input, { error: describeIssue, reportInput: true });
  if (result.success) return result.data;
  const known: KnownKeys = (path) => knownKeys(["cluster", ...path]);
  problems.push(...issuesToProblems(result.error.issues, origin, known, ["cluster"]));
  return undefined;
}

function optionsOf(input: ParsedInput | undefined): Partial<Record<BackendOptionName, unknown>> {
  if (!input) return {};
  return Object.fromEntries(
    OPTION_NAMES.filter((name) => input[name] !== undefined).map((name) => [name, input[name]]),
  );
}

function fileLayer(path: string | undefined, problems: ConfigProblem[]): ParsedInput | undefined {
  if (!path) return undefined;
  const content = readConfigFile(path);
  if (!content.ok) {
    problems.push(content.problem);
    return undefined;
  }
  return parseInput(content.value, `file ${path}`, problems);
}

function envLayerProblems(
  values: Partial<Record<BackendOptionName, unknown>>,
  origins: Partial<Record<BackendOptionName, string>>,
): {
  parsed: Partial<Record<BackendOptionName, unknown>>;
  problems: ConfigProblem[];
} {
  const problems: ConfigProblem[] = [];
  const parsed: Partial<Record<BackendOptionName, unknown>> = {};
  // Validated one variable at a time, so each problem names the variable that caused it.
  for (const [name, value] of Object.entries(values) as [BackendOptionName, unknown][]) {
    const result = backendOptionSpecs[name].schema.safeParse(value, {
      error: describeIssue,
      reportInput: true,
    });
    if (result.success) parsed[name] = result.data;
    else problems.push(...issuesToProblems(result.error.issues, `env ${origins[name]}`, () => [], [name]));
  }
  return { parsed, problems };
}

/**
 * Loads the configuration in force for this process: Zeek's defaults < what the cluster layout implies for this
 * node < the file (JSON or YAML) < `ZMQC_*` environment variables < explicit overrides.
 *
 * Every problem in every layer is collected and thrown as one {@link ConfigError}; nothing is half-applied.
 *
 * @example
 * ```ts
 * const config = loadConfig({ file: "zmqc.yaml", node: "worker-1" });
 * config.options.connectLogEndpoints; // every logger's PULL endpoint, from the layout
 * ```
 */
export function loadConfig(input: LoadConfigOptions = {}): ResolvedConfig {
  const env = input.env ?? process.env;
  const problems: ConfigProblem[] = [];

  const filePath = input.file ?? env[LOADER_ENV.file];
  const file = fileLayer(filePath, problems);
  const layoutPath = input.layoutFile ?? env[LOADER_ENV.layoutFile];
  let layoutFromFile: ClusterLayout | undefined;
  if (layoutPath) {
    const content = readConfigFile(layoutPath);
    if (content.ok) layoutFromFile = parseLayout(content.value, `file ${layoutPath}`, problems);
    else problems.push(content.problem);
  }
  const envLayer = readEnvLayer(env, input.extraEnv);
  problems.push(...envLayer.problems);
  const envValues = envLayerProblems(envLayer.values, envLayer.origins);
  problems.push(...envValues.problems);
  const overrides =
    input.overrides === undefined ? undefined : parseInput(input.overrides, "overrides", problems);

  // Zeek: keys from script variables and from the environment at the same time is a fatal error.
  const keysOutsideEnv = [file, overrides].some((layer) => CURVE_OPTIONS.some((key) => layer?.[key]));
  if (envLayer.curveFromEnv && keysOutsideEnv) {
    problems.push({
      path: "curve",
      code: "curve_mixed_sources",
      message:
        "ZeroMQ CURVE configured via script variable redefinitions and environment variables at the same time.",
    });
  }

  const nodeName = pickNodeName(input, overrides, file, env, problems);
  const layout = overrides?.cluster ?? layoutFromFile ?? file?.cluster;
  const cluster = layout ? resolveCluster(layout) : undefined;
  let nodeSpec: ClusterNode | undefined;
  if (cluster && nodeName !== undefined) {
    nodeSpec = cluster.nodes[nodeName];
    if (!nodeSpec) {
      problems.push({
        path: "node",
        code: "unknown_node",
        message: `'${nodeName}' is not a valid node in the Cluster::nodes configuration`,
      });
    }
  }

  const layerOrigin = (source: string, values: Partial<Record<BackendOptionName, unknown>>) =>
    Object.fromEntries(Object.keys(values).map((key) => [key, source])) as Partial<
      Record<BackendOptionName, string>
    >;
  const derived = cluster && nodeSpec && nodeName !== undefined ? deriveNodeOptions(cluster, nodeName) : {};
  const fileValues = optionsOf(file);
  const envOrigins = Object.fromEntries(
    Object.entries(envLayer.origins).map(([name, variable]) => [name, `env ${variable}`]),
  ) as Partial<Record<BackendOptionName, string>>;
  const overrideValues = optionsOf(overrides);
  const layers: Layer[] = [
    { source: "layout", values: derived, origins: layerOrigin(`layout node ${nodeName}`, derived) },
    { source: "file", values: fileValues, origins: layerOrigin(`file ${filePath}`, fileValues) },
    { source: "env", values: envValues.parsed, origins: envOrigins },
    { source: "override", values: overrideValues, origins: layerOrigin("overrides", overrideValues) },
  ];
  const options: Record<string, unknown> = { ...DEFAULT_BACKEND_OPTIONS };
  const sources = Object.fromEntries(OPTION_NAMES.map((name) => [name, "default"])) as Record<
    BackendOptionName,
    ConfigSource
  >;
  const origins: Partial<Record<BackendOptionName, string>> = {};
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer.values) as [BackendOptionName, unknown][]) {
      options[name] = value;
      sources[name] = layer.source;
      const origin = layer.origins[name];
      if (origin !== undefined) origins[name] = origin;
    }
  }
  const resolved = options as BackendOptions;
  if (cluster) problems.push(...clusterProblems(cluster, resolved));
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    options: resolved,
    sources,
    origins,
    node: nodeName === undefined ? undefined : { name: nodeName, spec: nodeSpec },
    cluster,
    warnings: warningsFor(resolved, cluster, nodeName),
  };
}

function pickNodeName(
  input: LoadConfigOptions,
  overrides: ParsedInput | undefined,
  file: ParsedInput | undefined,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigProblem[],
): string | undefined {
  const ours = env[LOADER_ENV.node] || undefined;
  const zeeks = env[LOADER_ENV.zeekNode] || undefined;
  if (ours && zeeks && ours !== zeeks) {
    problems.push({
      path: "node",
      code: "invalid_value",
      message: `${LOADER_ENV.node}=${ours} and ${LOADER_ENV.zeekNode}=${zeeks} name different nodes`,
      origin: "env",
    });
  }
  const name = input.node ?? overrides?.node ?? ours ?? zeeks ?? file?.node;
  if (name !== undefined && input.node !== undefined) {
    const check = nodeNameSchema.safeParse(name);
    if (!check.success)
      problems.push(...issuesToProblems(check.error.issues, "argument node", () => [], ["node"]));
  }
  return name;
}

function warningsFor(
  options: BackendOptions,
  cluster: ResolvedCluster | undefined,
  nodeName: string | undefined,
): string[] {
  const warnings: string[] = [];
  const isLogReceiver = nodeName !== undefined && cluster?.logReceivers.includes(nodeName);
  if (
    cluster &&
    nodeName !== undefined &&
    !isLogReceiver &&
    Object.keys(cluster.nodes).length > 1 &&
    options.connectLogEndpoints.length === 0
  ) {
    warnings.push("No ZeroMQ connect_log_endpoints configured");
  }
  return warnings;
}

/**
 * Validates a set of options (for example what a program passes to a library call) and fills in Zeek's
 * defaults. Throws one {@link ConfigError} listing every problem.
 */
export function resolveOptions(input: BackendOptionsInput = {}): BackendOptions {
  const result = backendOptionsLayerSchema.safeParse(input, { error: describeIssue, reportInput: true });
  if (!result.success) throw new ConfigError(issuesToProblems(result.error.issues, undefined, knownKeys));
  const given = Object.fromEntries(Object.entries(result.data).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_BACKEND_OPTIONS, ...given } as BackendOptions;
}

export type { ClusterLayoutInput };
