// The HTTP/2 engine against node:http2 servers (h2c and TLS): the shared engine cases.
import { createH2Engine } from "../../src/engine/index.ts";
import { DEFAULT_TLS } from "../../src/engine/tls.ts";
import { registerEngineCases, type EngineSubject } from "./engine.cases.ts";
import { createH2Target } from "./h2-target.ts";

/** Byte counts are estimates (HPACK hides the wire size) and `exact` cases assume one request per connection at a time. */
const h2Subject: EngineSubject = { name: "h2", create: (o) => createH2Engine({ http: "2", tls: { ...DEFAULT_TLS, ...o?.tls } }), exact: false };

registerEngineCases(h2Subject, createH2Target());
