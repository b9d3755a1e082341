/**
 * Addresses as Zeek's log formatters print them: `Formatter::Render(addr_t)` (src/threading/Formatter.cc), a
 * dotted quad for an IPv4 value and `zeek_inet_ntop6` (src/3rdparty/zeek_inet_ntop.c, FreeBSD's inet_ntop)
 * for an IPv6 one. The wire's family decides, so an IPv4-mapped address sent as IPv6 stays IPv6 text, but in
 * FreeBSD's form: `::ffff:1.2.3.4` where @zmqc/wire-format gives RFC 5952's `::ffff:102:304`.
 */

/** 16 bytes of IPv6 text (hex groups, one `::`, an optional dotted-quad tail), or undefined. */
export function parseIpv6(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(16);
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : (halves[0] as string).split(":");
  const tail = halves.length === 2 ? (halves[1] === "" ? [] : (halves[1] as string).split(":")) : [];
  const words: number[] = [];
  const parse = (groups: string[], last: boolean): number[] | undefined => {
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i] as string;
      if (last && i === groups.length - 1 && group.includes(".")) {
        const quad = group.split(".");
        if (quad.length !== 4 || quad.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return;
        const [a, b, c, d] = quad.map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) out.push(Number.parseInt(group, 16));
      else return;
    }
    return out;
  };
  const first = parse(head, halves.length === 1);
  const second = parse(tail, true);
  if (first === undefined || second === undefined) return undefined;
  const zeros = 8 - first.length - second.length;
  if (halves.length === 1 ? zeros !== 0 : zeros < 1) return undefined;
  words.push(...first, ...new Array<number>(zeros).fill(0), ...second);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/** `zeek_inet_ntop6`: the longest (first) run of two or more zero words as `::`, and IPv4 tails in dotted form. */
export function formatIpv6(bytes: Uint8Array): string {
  const words = Array.from(
    { length: 8 },
    (_, i) => ((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number),
  );
  let bestBase = -1;
  let bestLength = 0;
  let base = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && words[i] === 0) {
      if (base === -1) base = i;
      continue;
    }
    if (base !== -1 && i - base > bestLength) {
      bestBase = base;
      bestLength = i - base;
    }
    base = -1;
  }
  if (bestLength < 2) bestBase = -1;

  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLength) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    // An encapsulated IPv4 address: IPv4-compatible (::a.b.c.d), -mapped (::ffff:a.b.c.d), -translated.
    if (
      i === 6 &&
      bestBase === 0 &&
      (bestLength === 6 ||
        (bestLength === 7 && words[7] !== 1) ||
        (bestLength === 5 && words[5] === 0xffff) ||
        (bestLength === 4 && words[4] === 0xffff && words[5] === 0))
    ) {
      return `${out}${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
    }
    out += (words[i] as number).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLength === 8) out += ":";
  return out;
}

/**
 * An address value as Zeek prints it in logs. Text with a `:` is an IPv6 value (family 6 on the wire, as in
 * @zmqc/wire-format), anything else is printed as it is (a dotted quad).
 */
export function renderAddress(text: string): string {
  if (!text.includes(":")) return text;
  const bytes = parseIpv6(text);
  return bytes === undefined ? text : formatIpv6(bytes);
}

/** A subnet value as Zeek prints it: `Render(prefix) + "/" + length`. */
export function renderSubnet(address: string, length: number): string {
  return `${renderAddress(address)}/${length}`;
}
