import { describe, expect, it } from "vitest";
import { parseEndpoint, tcpEndpoint } from "./endpoint.js";

describe("parseEndpoint", () => {
  it.each([
    ["tcp://127.0.0.1:5555", { transport: "tcp", host: "127.0.0.1", port: 5555 }],
    ["tcp://[::1]:5555", { transport: "tcp", host: "::1", port: 5555 }],
    ["tcp://[2001:db8::2]:27762", { transport: "tcp", host: "2001:db8::2", port: 27762 }],
    ["tcp://*:5555", { transport: "tcp", host: "*", port: 5555 }],
    ["tcp://127.0.0.1:*", { transport: "tcp", host: "127.0.0.1", port: "*" }],
    ["tcp://localhost:!", { transport: "tcp", host: "localhost", port: "!" }],
    ["tcp://manager.example.org:5556", { transport: "tcp", host: "manager.example.org", port: 5556 }],
    ["tcp://10.0.0.1:0;10.0.0.2:5556", { transport: "tcp", host: "10.0.0.2", port: 5556 }],
    ["ipc:///tmp/zmqc.sock", { transport: "ipc", path: "/tmp/zmqc.sock" }],
    ["inproc://proxy-control", { transport: "inproc", name: "proxy-control" }],
  ])("accepts %s", (endpoint, expected) => {
    expect(parseEndpoint(endpoint)).toEqual(expected);
  });

  it.each([
    ["127.0.0.1:5555", /transport:\/\/address/],
    ["udp://127.0.0.1:5555", /unsupported transport 'udp'/],
    ["tcp://127.0.0.1", /needs a port/],
    ["tcp://::1:5555", /IPv6 hosts need brackets/],
    ["tcp://[::1:5555", /not a bracketed IPv6 address/],
    ["tcp://[10.0.0.1]:5555", /not a bracketed IPv6 address/],
    ["tcp://127.0.0.1:65536", /not a port/],
    ["tcp://127.0.0.1:http", /not a port/],
    ["tcp://bad host:5555", /not a host/],
    ["ipc://", /needs a path/],
    ["inproc://", /needs a name/],
  ])("rejects %s with a reason", (endpoint, reason) => {
    const parsed = parseEndpoint(endpoint);
    expect(parsed).toHaveProperty("error");
    expect((parsed as { error: string }).error).toMatch(reason);
  });
});

describe("tcpEndpoint (Zeek's addr_to_uri)", () => {
  it("leaves IPv4 bare and brackets IPv6 once", () => {
    expect(tcpEndpoint("10.0.0.1", 27760)).toBe("tcp://10.0.0.1:27760");
    expect(tcpEndpoint("2001:db8::2", 27762)).toBe("tcp://[2001:db8::2]:27762");
    expect(tcpEndpoint("[::1]", 5557)).toBe("tcp://[::1]:5557");
  });
});
