import { isIP } from "node:net";

/** A ZeroMQ endpoint, split into its parts. */
export type ParsedEndpoint =
  | { transport: "tcp"; host: string; port: number | "*" | "!" }
  | { transport: "ipc"; path: string }
  | { transport: "inproc"; name: string };

// libzmq's tcp syntax: `tcp://host:port`, where host is `*`, an IPv4 address, a bracketed IPv6 address,
// a DNS name or an interface name, and port is a number, `*` (any port) or `!` (any, unique per socket).
// The optional `source;` part (`tcp://src:port;dst:port`) is kept for connects.
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*$/;

/**
 * Parses a ZeroMQ endpoint (`tcp://host:port`, `ipc://path`, `inproc://name`). Returns the parts, or a
 * sentence saying what is wrong. IPv6 hosts must be in brackets (`tcp://[::1]:5555`).
 */
export function parseEndpoint(endpoint: string): ParsedEndpoint | { error: string } {
  const scheme = /^([a-z]+):\/\/(.*)$/.exec(endpoint);
  if (!scheme) return { error: "expected transport://address, such as tcp://127.0.0.1:5555" };
  const [, transport, rest = ""] = scheme;
  switch (transport) {
    case "ipc":
      return rest ? { transport, path: rest } : { error: "ipc:// needs a path" };
    case "inproc":
      return rest ? { transport, name: rest } : { error: "inproc:// needs a name" };
    case "tcp":
      return parseTcpAddress(rest.includes(";") ? rest.slice(rest.indexOf(";") + 1) : rest);
    default:
      return { error: `unsupported transport '${transport}' (use tcp, ipc or inproc)` };
  }
}

function parseTcpAddress(address: string): ParsedEndpoint | { error: string } {
  const colon = address.lastIndexOf(":");
  if (colon < 0) return { error: "tcp endpoint needs a port, as in tcp://127.0.0.1:5555" };
  let host = address.slice(0, colon);
  const portText = address.slice(colon + 1);
  if (host.startsWith("[")) {
    if (!host.endsWith("]") || isIP(host.slice(1, -1)) !== 6) {
      return { error: `'${host}' is not a bracketed IPv6 address` };
    }
    host = host.slice(1, -1);
  } else if (host.includes(":")) {
    return { error: `IPv6 hosts need brackets, as in tcp://[${host}]:${portText}` };
  } else if (host !== "*" && isIP(host) !== 4 && !HOSTNAME.test(host)) {
    return { error: `'${host}' is not a host, an IPv4 address, a bracketed IPv6 address or *` };
  }
  if (portText === "*" || portText === "!") return { transport: "tcp", host, port: portText };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    return { error: `'${portText}' is not a port (0-65535, * or !)` };
  }
  return { transport: "tcp", host, port: Number(portText) };
}

/**
 * Builds `tcp://<ip>:<port>`, putting an IPv6 address in brackets (Zeek's `addr_to_uri`).
 * Brackets already present are kept, not doubled.
 */
export function tcpEndpoint(ip: string, port: number): string {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  return isIP(bare) === 6 ? `tcp://[${bare}]:${port}` : `tcp://${bare}:${port}`;
}
