import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** What the status server asks the role for on each request. */
export interface StatusSource {
  /** Prometheus metrics of the process. */
  readonly registry: Registry;
  /** Whether the node has joined (answers `/healthz` with 200 rather than 503). */
  healthy(): boolean;
  /** The role's state as JSON, for `/status` and `zmqc cluster status`. */
  status(): unknown;
}

/** A running status server. */
export interface StatusServer {
  /** The bound port (the OS's choice when asked for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` (Prometheus text), `/healthz` (200 once joined, 503 before) and `/status` (JSON) on
 * `host:port`, as Zeek serves its metrics on `Cluster::Node.metrics_port`.
 */
export async function startStatusServer(
  host: string,
  port: number,
  source: StatusSource,
): Promise<StatusServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const reply = (status: number, type: string, body: string) => {
      response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      response.end(body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") return reply(405, "text/plain", "GET only\n");
    switch (path) {
      case "/metrics":
        source.registry.metrics().then(
          (text) => reply(200, source.registry.contentType, text),
          (error: unknown) => reply(500, "text/plain", `${(error as Error).message}\n`),
        );
        return;
      case "/healthz":
        return source.healthy() ? reply(200, "text/plain", "ok\n") : reply(503, "text/plain", "joining\n");
      case "/status":
        return reply(200, "application/json", `${JSON.stringify(source.status(), jsonBigint)}\n`);
      default:
        return reply(404, "text/plain", "not found: try /metrics, /healthz or /status\n");
    }
  });
  await listen(server, host, port);
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function jsonBigint(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
