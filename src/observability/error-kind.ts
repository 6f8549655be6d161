// An error kind's key as the recorder writes it ("tls: certificate has expired") split into the class and what the engine saw, for labels.
export function splitErrorKind(key: string): { cls: string; kind: string } {
  const at = key.indexOf(": ");
  return at < 0 ? { cls: "other", kind: key } : { cls: key.slice(0, at), kind: key.slice(at + 2) };
}
