import { describe, expect, it } from "vitest";
import { addressToBytes, bytesToAddress } from "./address.js";

const hex = (text: string) => {
  const bytes = addressToBytes(text);
  return bytes ? Buffer.from(bytes).toString("hex") : undefined;
};

describe("addresses", () => {
  it.each([
    ["1.2.3.4", "00000000000000000000ffff01020304", "1.2.3.4"],
    ["::ffff:1.2.3.4", "00000000000000000000ffff01020304", "1.2.3.4"],
    // An IPv4 tail is where it is written: ::1.2.3.4 is not IPv4-mapped (ipaddr.js alone gets this wrong).
    ["::1.2.3.4", "00000000000000000000000001020304", "::102:304"],
    ["1:2:3:4:5:6:1.2.3.4", "00010002000300040005000601020304", "1:2:3:4:5:6:102:304"],
    ["2001:db8::1", "20010db8000000000000000000000001", "2001:db8::1"],
  ])("%s", (text, bytes, formatted) => {
    expect(hex(text)).toBe(bytes);
    expect(bytesToAddress(Buffer.from(bytes, "hex"))).toBe(formatted);
  });

  it.each(["1.2.3", "256.1.1.1", "::256.1.1.1", "1.2.3.4:5", "::g", "", "1::2::3"])("rejects %j", (text) => {
    expect(addressToBytes(text)).toBeUndefined();
  });
});
