import { createServer, type Server } from "node:net";

/**
 * Binds `count` TCP listeners on 127.0.0.1 port 0 at once, reads the ports the OS chose, and frees them: for a
 * child process (Zeek) that must be told its ports before it starts.
 */
export async function reservePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no TCP address");
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** "tcp://127.0.0.1:41234" → "41234/tcp", the form Zeek's test bootstrap reads from XPUB_PORT and XSUB_PORT. */
export function zeekPort(endpoint: string): string {
  const port = /:(\d+)$/.exec(endpoint)?.[1];
  if (port === undefined) throw new Error(`no port in ${endpoint}`);
  return `${port}/tcp`;
}
