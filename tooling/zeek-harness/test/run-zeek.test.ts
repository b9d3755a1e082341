import { expect, it } from "vitest";
import { describeWithZeek, runZeek } from "../src/index.js";

describeWithZeek("runZeek", () => {
  it("resolves with Zeek's exit code and stderr when a script fails", async () => {
    const { code, signal, stderr } = await runZeek(["-b", "no-such-script.zeek"]);
    expect({ code, signal }).toEqual({ code: 1, signal: null });
    expect(stderr).toContain("can't find no-such-script.zeek");
  });

  it("kills the process group and rejects when Zeek outlives timeoutMs", async () => {
    // exit_only_after_terminate keeps Zeek idling until terminate(); the shell it starts shares its group.
    const script = 'redef exit_only_after_terminate = T; event zeek_init() { system("sleep 300"); }';
    await expect(runZeek(["-b", "-e", script], { timeoutMs: 500 })).rejects.toThrow(
      /did not finish within 500 ms; killed its process group/,
    );
  });
});
