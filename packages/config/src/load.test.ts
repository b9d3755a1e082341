import { ConfigError, DEFAULT_BACKEND_OPTIONS, loadConfig, resolveOptions, ZmqcError } from "@zmqc/config";
import { describe, expect, it } from "vitest";
import keys from "../test/fixtures/zeek-curve-keys.json" with { type: "json" };
import { fixturePath, writeTempFile } from "../test/helpers.js";

/** Runs loadConfig and returns the ConfigError it throws. */
function configError(options: Parameters<typeof loadConfig>[0]): ConfigError {
  try {
    loadConfig(options);
  } catch (error) {
    if (ConfigError.isConfigError(error)) return error;
    throw error;
  }
  throw new Error("loadConfig accepted the configuration");
}

describe("loadConfig precedence: defaults < layout < file < env < overrides", () => {
  it("with nothing given, everything is Zeek's default", () => {
    const config = loadConfig({ env: {} });
    expect(config.options).toEqual(DEFAULT_BACKEND_OPTIONS);
    expect(new Set(Object.values(config.sources))).toEqual(new Set(["default"]));
    expect(config.node).toBeUndefined();
    expect(config.cluster).toBeUndefined();
  });

  it("each layer wins over the ones before it, and says so", () => {
    const file = writeTempFile(
      "zmqc.yaml",
      [
        "node: worker-1",
        "xpubSndhwm: 10",
        "xsubRcvhwm: 20",
        "lingerMs: 30",
        "runProxyThread: true",
        "cluster:",
        "  nodes:",
        "    manager: { type: manager, ip: 127.0.0.1 }",
        "    logger: { type: logger, ip: 127.0.0.1, logPort: 27760 }",
        "    worker-1: { type: worker, ip: 127.0.0.1 }",
      ].join("\n"),
    );
    const config = loadConfig({
      file,
      env: { ZMQC_XSUB_RCVHWM: "21", ZMQC_LINGER_MS: "31" },
      overrides: { lingerMs: 32 },
    });
    expect(config.options).toMatchObject({
      connectLogEndpoints: ["tcp://127.0.0.1:27760"], // layout
      runProxyThread: true, // the file wins over the layout's false for a worker
      xpubSndhwm: 10, // file
      xsubRcvhwm: 21, // env over file
      lingerMs: 32, // overrides over env and file
      logSndhwm: 1000, // default
    });
    expect(config.sources).toMatchObject({
      connectLogEndpoints: "layout",
      runProxyThread: "file",
      xpubSndhwm: "file",
      xsubRcvhwm: "env",
      lingerMs: "override",
      logSndhwm: "default",
    });
    expect(config.origins).toMatchObject({
      connectLogEndpoints: "layout node worker-1",
      xpubSndhwm: `file ${file}`,
      xsubRcvhwm: "env ZMQC_XSUB_RCVHWM",
      lingerMs: "overrides",
    });
    expect(config.node).toEqual({ name: "worker-1", spec: { type: "worker", ip: "127.0.0.1" } });
  });

  it("reads a JSON file, and a separate layout file that wins over the file's cluster", () => {
    const file = writeTempFile(
      "zmqc.json",
      JSON.stringify({ node: "manager", cluster: { nodes: { x: { type: "worker", ip: "127.0.0.1" } } } }),
    );
    const config = loadConfig({ file, layoutFile: fixturePath("layouts/two-loggers.json"), env: {} });
    expect(Object.keys(config.cluster?.nodes ?? {})).toEqual([
      "logger-1",
      "logger-2",
      "manager",
      "proxy",
      "worker-1",
    ]);
    expect(config.options.runProxyThread).toBe(true);
    expect(config.options.connectLogEndpoints).toEqual(["tcp://127.0.0.1:27761", "tcp://127.0.0.1:27762"]);
  });

  it("finds the file, layout and node through ZMQC_CONFIG, ZMQC_LAYOUT and CLUSTER_NODE", () => {
    const file = writeTempFile("zmqc.yaml", "xpubSndhwm: 5\n");
    const config = loadConfig({
      env: { ZMQC_CONFIG: file, ZMQC_LAYOUT: fixturePath("layouts/no-logger.yaml"), CLUSTER_NODE: "manager" },
    });
    expect(config.options.xpubSndhwm).toBe(5);
    expect(config.node?.name).toBe("manager");
    expect(config.options.listenLogEndpoint).toBe("tcp://127.0.0.1:27760");
  });

  it("node name: argument > overrides > ZMQC_NODE > CLUSTER_NODE > file", () => {
    const layoutFile = fixturePath("layouts/simple.yaml");
    const file = writeTempFile("zmqc.yaml", "node: proxy\n");
    const base = { file, layoutFile };
    expect(loadConfig({ ...base, env: {} }).node?.name).toBe("proxy");
    expect(loadConfig({ ...base, env: { CLUSTER_NODE: "worker-2" } }).node?.name).toBe("worker-2");
    expect(loadConfig({ ...base, env: { ZMQC_NODE: "worker-1" } }).node?.name).toBe("worker-1");
    expect(
      loadConfig({ ...base, env: { ZMQC_NODE: "worker-1" }, overrides: { node: "logger" } }).node?.name,
    ).toBe("logger");
    expect(loadConfig({ ...base, env: {}, overrides: { node: "logger" }, node: "manager" }).node?.name).toBe(
      "manager",
    );
  });

  it("converts environment text to each option's type", () => {
    const config = loadConfig({
      env: {
        ZMQC_IPV6: "T",
        ZMQC_LOG_IMMEDIATE: "yes",
        ZMQC_CONNECT_XPUB_NODROP: "0",
        ZMQC_CONNECT_LOG_ENDPOINTS: "tcp://10.0.0.2:5557, tcp://10.0.0.3:5557",
        ZMQC_HELLO_EXPIRATION: "2s",
        ZMQC_FLUSH_INTERVAL: "250",
        ZMQC_EVENT_SERIALIZER: "broker-json-v1",
      },
    });
    expect(config.options).toMatchObject({
      ipv6: true,
      logImmediate: true,
      connectXpubNodrop: false,
      connectLogEndpoints: ["tcp://10.0.0.2:5557", "tcp://10.0.0.3:5557"],
      helloExpiration: 2000,
      flushInterval: 250,
      eventSerializer: "broker-json-v1",
    });
  });

  it("warns in Zeek's words when a node of a cluster has nowhere to send logs", () => {
    const config = loadConfig({
      env: {},
      node: "worker-1",
      overrides: {
        cluster: {
          managerIsLogger: false,
          nodes: {
            manager: { type: "manager", ip: "127.0.0.1" },
            "worker-1": { type: "worker", ip: "127.0.0.1" },
          },
        },
      },
    });
    expect(config.warnings).toEqual(["No ZeroMQ connect_log_endpoints configured"]);
  });
});

describe("loadConfig bad input: one ConfigError listing every problem", () => {
  it("reports unknown keys, wrong types, ranges, endpoints and keys from every layer at once", () => {
    const file = writeTempFile(
      "zmqc.yaml",
      [
        "xpubSndhmw: 10",
        "lingerMs: forever",
        "xsubRcvhwm: -3",
        "connectXpubEndpoint: tcp://::1:5556",
        "curveServerPublicKey: too-short-key",
        "eventSerializer: broker-bin-v2",
        "cluster:",
        "  nodes:",
        "    worker-1: { type: wroker, ip: 10.0.0, logPrt: 4 }",
      ].join("\n"),
    );
    const error = configError({ file, env: { ZMQC_LOG_SNDHWM: "many", ZMQC_LOG_SNDHMW: "1" } });
    expect(error).toBeInstanceOf(ZmqcError);
    expect(error.code).toBe("CONFIG");
    expect(ZmqcError.is(error, "CONFIG")).toBe(true);
    const rows = error.problems.map((p) => [p.path, p.code]);
    expect(rows).toEqual(
      expect.arrayContaining([
        ["xpubSndhmw", "unknown_key"],
        ["lingerMs", "invalid_type"],
        ["xsubRcvhwm", "out_of_range"],
        ["connectXpubEndpoint", "invalid_endpoint"],
        ["curveServerPublicKey", "invalid_curve_key"],
        ["eventSerializer", "invalid_value"],
        ["cluster.nodes.worker-1.type", "invalid_value"],
        ["cluster.nodes.worker-1.ip", "invalid_value"],
        ["cluster.nodes.worker-1.logPrt", "unknown_key"],
        ["logSndhwm", "invalid_type"],
        ["", "unknown_key"],
      ]),
    );
    expect(rows).toHaveLength(11);
    const byPath = (path: string) => error.problems.find((p) => p.path === path);
    expect(byPath("xpubSndhmw")?.message).toBe("unknown option 'xpubSndhmw' — did you mean 'xpubSndhwm'?");
    expect(byPath("xpubSndhmw")?.origin).toBe(`file ${file}`);
    expect(byPath("xsubRcvhwm")?.message).toBe("must be ≥ 0, got -3");
    expect(byPath("lingerMs")?.message).toBe('expected a number, got "forever"');
    expect(byPath("connectXpubEndpoint")?.message).toBe("IPv6 hosts need brackets, as in tcp://[::1]:5556");
    expect(byPath("logSndhwm")?.origin).toBe("env ZMQC_LOG_SNDHWM");
    expect(byPath("")?.message).toBe(
      "unknown environment variable ZMQC_LOG_SNDHMW — did you mean ZMQC_LOG_SNDHWM?",
    );
    expect(byPath("cluster.nodes.worker-1.logPrt")?.message).toBe(
      "unknown option 'logPrt' — did you mean 'logPort'?",
    );
    // One readable message, no zod dump, no stack trace of zod internals.
    expect(error.message.split("\n")[0]).toBe("invalid zmqc configuration, 11 problems:");
    expect(error.message).not.toMatch(/ZodError|"code":/);
  });

  it("never shows a secret key in a problem", () => {
    const secret = `${keys.serverSecret.slice(0, 39)}~`;
    const error = configError({
      env: {},
      overrides: { curveServerSecretKey: secret, curveClientSecretKey: 42 as never },
    });
    expect(error.problems.map((p) => p.path).sort()).toEqual([
      "curveClientSecretKey",
      "curveServerSecretKey",
    ]);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain("42");
  });

  it("names an unreadable file and a YAML syntax error's position", () => {
    expect(configError({ env: {}, file: "/nonexistent/zmqc.yaml" }).problems).toEqual([
      {
        path: "",
        code: "file_unreadable",
        message: "cannot read /nonexistent/zmqc.yaml: no such file",
        origin: "file /nonexistent/zmqc.yaml",
      },
    ]);
    const broken = writeTempFile("broken.yaml", "xpubSndhwm: 10\n  lingerMs: [1, 2\n");
    const [problem] = configError({ env: {}, file: broken }).problems;
    expect(problem?.code).toBe("file_syntax");
    expect(problem?.message).toMatch(/^not valid YAML at line \d+, column \d+/);
    const badJson = writeTempFile("broken.json", '{"xpubSndhwm": 10,}');
    expect(configError({ env: {}, file: badJson }).problems[0]?.message).toMatch(/^not valid JSON/);
  });

  it("a node name that is not in the layout is Zeek's error", () => {
    const error = configError({ env: {}, layoutFile: fixturePath("layouts/simple.yaml"), node: "worker-3" });
    expect(error.problems).toEqual([
      {
        path: "node",
        code: "unknown_node",
        message: "'worker-3' is not a valid node in the Cluster::nodes configuration",
      },
    ]);
  });

  it("layout problems come through loadConfig, checked against the options in force", () => {
    const error = configError({
      env: { ZMQC_LISTEN_XPUB_ENDPOINT: "tcp://127.0.0.1:27760" },
      layoutFile: fixturePath("layouts/simple.yaml"),
      node: "worker-1",
    });
    expect(error.problems.map((p) => p.code)).toEqual(["endpoint_conflict"]);
  });

  it("ZMQC_NODE and CLUSTER_NODE naming different nodes", () => {
    const error = configError({ env: { ZMQC_NODE: "worker-1", CLUSTER_NODE: "worker-2" } });
    expect(error.problems[0]?.message).toBe(
      "ZMQC_NODE=worker-1 and CLUSTER_NODE=worker-2 name different nodes",
    );
  });

  it("lets an application claim its own ZMQC_* variables", () => {
    expect(() => loadConfig({ env: { ZMQC_LOG_LEVEL: "debug" } })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ env: { ZMQC_LOG_LEVEL: "debug" }, extraEnv: ["ZMQC_LOG_LEVEL"] }),
    ).not.toThrow();
  });
});

describe("CURVE keys from the environment", () => {
  const zeekEnv = {
    ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_SERVER_PUBLICKEY: keys.serverPublic,
    ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_SERVER_SECRETKEY: keys.serverSecret,
    ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_CLIENT_PUBLICKEY: keys.clientPublic,
    ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_CLIENT_SECRETKEY: keys.clientSecret,
  };

  it("reads Zeek's variable names and ours", () => {
    const config = loadConfig({ env: zeekEnv });
    expect(config.options).toMatchObject({
      curveServerPublicKey: keys.serverPublic,
      curveServerSecretKey: keys.serverSecret,
      curveClientPublicKey: keys.clientPublic,
      curveClientSecretKey: keys.clientSecret,
    });
    expect(config.origins.curveServerSecretKey).toBe(
      "env ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_SERVER_SECRETKEY",
    );
    expect(
      loadConfig({ env: { ZMQC_CURVE_CLIENT_PUBLIC_KEY: keys.clientPublic } }).options.curveClientPublicKey,
    ).toBe(keys.clientPublic);
  });

  it("keys in a file and in the environment at once is Zeek's fatal error", () => {
    const file = writeTempFile("zmqc.yaml", `curveServerPublicKey: "${keys.serverPublic}"\n`);
    const error = configError({
      file,
      env: { ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_CLIENT_SECRETKEY: keys.clientSecret },
    });
    expect(error.problems).toEqual([
      {
        path: "curve",
        code: "curve_mixed_sources",
        message:
          "ZeroMQ CURVE configured via script variable redefinitions and environment variables at the same time.",
      },
    ]);
  });

  it("our variable and Zeek's naming different keys for the same option", () => {
    const error = configError({
      env: {
        ZMQC_CURVE_CLIENT_PUBLIC_KEY: keys.clientPublic,
        ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_CLIENT_PUBLICKEY: keys.wrongClientPublic,
      },
    });
    expect(error.problems[0]?.code).toBe("curve_mixed_sources");
    expect(error.message).not.toContain(keys.clientPublic);
  });
});

describe("resolveOptions", () => {
  it("fills in defaults for what a program passes", () => {
    expect(resolveOptions({ xpubSndhwm: 0, helloExpiration: "1s" })).toEqual({
      ...DEFAULT_BACKEND_OPTIONS,
      xpubSndhwm: 0,
      helloExpiration: 1000,
    });
  });

  it("throws one ConfigError for bad options", () => {
    expect(() => resolveOptions({ xpubSndhwm: -1, lingerMs: "x" as never })).toThrow(/2 problems/);
  });
});
