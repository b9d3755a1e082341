import { describe, expect, it } from "vitest";
import keys from "../test/fixtures/zeek-curve-keys.json" with { type: "json" };
import { curveClientKeys, curveServerKeys } from "./curve.js";

const none = {
  curveServerPublicKey: "",
  curveServerSecretKey: "",
  curveClientPublicKey: "",
  curveClientSecretKey: "",
};
const all = {
  curveServerPublicKey: keys.serverPublic,
  curveServerSecretKey: keys.serverSecret,
  curveClientPublicKey: keys.clientPublic,
  curveClientSecretKey: keys.clientSecret,
};

describe("CURVE modes, as Zeek enables them", () => {
  it("is off without keys", () => {
    expect(curveClientKeys(none)).toBeUndefined();
    expect(curveServerKeys(none)).toBeUndefined();
  });

  it("client mode needs the server public key and the client key pair", () => {
    expect(curveClientKeys(all)).toEqual({
      serverPublicKey: keys.serverPublic,
      publicKey: keys.clientPublic,
      secretKey: keys.clientSecret,
    });
    expect(curveClientKeys({ ...all, curveClientSecretKey: "" })).toBeUndefined();
    expect(curveClientKeys({ ...all, curveServerPublicKey: "" })).toBeUndefined();
  });

  it("server mode needs the server secret key and the client public key", () => {
    expect(curveServerKeys(all)).toEqual({
      secretKey: keys.serverSecret,
      allowedClientKeys: [keys.clientPublic],
    });
    expect(
      curveServerKeys({
        ...none,
        curveServerSecretKey: keys.serverSecret,
        curveClientPublicKey: keys.clientPublic,
      }),
    ).toBeDefined();
    expect(curveServerKeys({ ...all, curveClientPublicKey: "" })).toBeUndefined();
  });
});
