import { expect, it } from "vitest";
import { describeWithZeek, findZeek, runZeek } from "../src/index.js";

// The Zeek every interop test runs against: the shared 8.2.2 build, with the ZeroMQ cluster backend.
describeWithZeek("zeek smoke", () => {
  it("is Zeek 8.2.2", async () => {
    const { code, stdout } = await runZeek(["--version"]);
    expect(code).toBe(0);
    // Zeek prints its argv[0], and runZeek starts it by path: "/opt/zeek/bin/zeek version 8.2.2".
    expect(stdout.trim()).toBe(`${findZeek()?.zeek} version 8.2.2`);
  });

  it("has the ZeroMQ cluster backend built in", async () => {
    const { code, stdout } = await runZeek(["-N", "Zeek::Cluster_Backend_ZeroMQ"]);
    expect(code).toBe(0);
    const line = stdout.split("\n").find((l) => l.includes("Zeek::Cluster_Backend_ZeroMQ"));
    expect(line).toContain("built-in");
  });

  it("loads the ZeroMQ backend scripts with Zeek's default linger_ms", async () => {
    // Zeek 8.2.2 has no .../zeromq/options script: the options live in .../zeromq/main.zeek, which the
    // directory's __load__ loads. exit(0) runs before zeek_init, so the backend never opens a socket (without
    // it Zeek connects to tcp://127.0.0.1:5556 and idles forever).
    const script = [
      "@load policy/frameworks/cluster/backend/zeromq",
      "print Cluster::Backend::ZeroMQ::linger_ms;",
      "exit(0);",
    ].join("\n");
    const { code, stdout, stderr } = await runZeek(["-b", "-e", script]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout.trim()).toBe("500");
  });
});
