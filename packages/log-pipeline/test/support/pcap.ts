// A one-packet pcap file, so that a `zeek -r` run has a network time of our choosing (Zeek's rotation
// schedule, calc_next_rotate, is computed from network time).

/** A pcap (microsecond, Ethernet) holding one small UDP/IPv4 packet stamped `seconds` since the epoch. */
export function onePacketPcap(seconds: number): Uint8Array {
  const whole = Math.floor(seconds);
  const micros = Math.round((seconds - whole) * 1e6);
  const ip = Buffer.from("4500001c000100004011f9cd0a0000010a000002", "hex"); // 10.0.0.1 → 10.0.0.2, UDP
  const udp = Buffer.from("303930390008" + "0000", "hex"); // 12345 → 12345, length 8
  const frame = Buffer.concat([Buffer.from("0200000000020200000000010800", "hex"), ip, udp]);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const record = Buffer.alloc(16);
  record.writeUInt32LE(whole, 0);
  record.writeUInt32LE(micros, 4);
  record.writeUInt32LE(frame.length, 8);
  record.writeUInt32LE(frame.length, 12);
  return Buffer.concat([header, record, frame]);
}
