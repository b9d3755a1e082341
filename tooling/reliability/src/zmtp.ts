// A hand-written ZMTP 3.0 peer (NULL mechanism): it sends exactly the frames it is given, where a libzmq socket
// would filter them (an XSUB swallows an unsubscription from a prefix it never subscribed to, in any frame).
import { Socket } from "node:net";

/** A raw ZMTP connection that has finished its handshake. */
export interface RawZmtpPeer {
  /** Sends one message of these frames, as they are. */
  send(frames: readonly Buffer[]): Promise<void>;
  close(): void;
}

/** Connects to a `tcp://host:port` endpoint as a `socketType` peer and completes the NULL handshake. */
export async function connectRawZmtp(endpoint: string, socketType: string): Promise<RawZmtpPeer> {
  const [, host, port] = /^tcp:\/\/(.+):(\d+)$/.exec(endpoint) ?? [];
  if (port === undefined) throw new Error(`not a tcp endpoint: ${endpoint}`);
  const socket = new Socket();
  socket.on("error", () => {});
  let received = Buffer.alloc(0);
  // The handshake is done when the peer's 64-byte greeting and its READY command (one frame) have arrived.
  const handshake = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 66) return;
      const flags = received[64] as number;
      const long = (flags & 0x02) !== 0;
      const size = long ? Number(received.readBigUInt64BE(65)) : (received[65] as number);
      if (received.length >= 64 + (long ? 9 : 2) + size) {
        socket.off("data", onData);
        resolve();
      }
    };
    socket.on("data", onData);
    socket.once("close", () => reject(new Error(`${endpoint} hung up during the handshake`)));
  });
  await new Promise<void>((resolve) => socket.connect(Number(port), host ?? "127.0.0.1", resolve));
  const greeting = Buffer.alloc(64);
  greeting[0] = 0xff;
  greeting[9] = 0x7f;
  greeting[10] = 3;
  greeting.write("NULL", 12, "latin1");
  socket.write(greeting);
  socket.write(frame(command("READY", { "Socket-Type": socketType }), 0x04));
  await handshake;
  return {
    send: (frames) =>
      new Promise<void>((resolve) =>
        socket.write(
          Buffer.concat(frames.map((body, i) => frame(body, i < frames.length - 1 ? 0x01 : 0x00))),
          () => resolve(),
        ),
      ),
    close: () => socket.destroy(),
  };
}

/** A ZMTP command body: name, then properties (1-byte name length, 4-byte value length). */
function command(name: string, properties: Record<string, string>): Buffer {
  const parts = [Buffer.from([name.length]), Buffer.from(name, "latin1")];
  for (const [key, value] of Object.entries(properties)) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(value.length);
    parts.push(Buffer.from([key.length]), Buffer.from(key, "latin1"), length, Buffer.from(value, "latin1"));
  }
  return Buffer.concat(parts);
}

/** One frame: flags (0x01 more, 0x04 command; 0x02 added for a long size), size, body. */
function frame(body: Buffer, flags: number): Buffer {
  if (body.length <= 255) return Buffer.concat([Buffer.from([flags, body.length]), body]);
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(BigInt(body.length));
  return Buffer.concat([Buffer.from([flags | 0x02]), size, body]);
}
