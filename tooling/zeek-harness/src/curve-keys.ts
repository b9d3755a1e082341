/** The names of the fixture keys. */
export type CurveKeyName =
  | "serverPublic"
  | "serverSecret"
  | "clientPublic"
  | "clientSecret"
  | "wrongClientPublic"
  | "wrongClientSecret";

/**
 * The CURVE key pairs of Zeek's own tests (zeek/zeek testing/btest/cluster/zeromq/two-nodes-encryption*.zeek):
 * public test keys, not secrets, shared by every package's CURVE tests so they run with what Zeek runs with.
 */
export const ZEEK_CURVE_KEYS: Readonly<Record<CurveKeyName, string>> = {
  serverPublic: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7",
  serverSecret: "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6",
  clientPublic: "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID",
  clientSecret: "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs",
  /** two-nodes-encryption-wrong-client-publickey.zeek's client pair, which the servers do not admit. */
  wrongClientPublic: "p0JU1:.:zSTVjz6K&sfUrb4N>p^CWWGO8C&Jg3k2",
  wrongClientSecret: "BQ&2j@3@LpUjJgLYl1zUp%$Yy]f5y{DAWA[3xn[/",
};
