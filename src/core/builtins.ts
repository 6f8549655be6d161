// Node builtins loaded on first use. In the one-file bundle of the binary, a top-level import of a builtin is
// evaluated at every start, whatever the command (measured in a compiled binary: node:net and node:crypto ~2 ms
// each, node:http2 + node:tls + node:zlib + node:util ~4 ms together); these load it when a caller first needs it.

export function nodeNet(): typeof import("node:net") {
  return require("node:net");
}

export function nodeCrypto(): typeof import("node:crypto") {
  return require("node:crypto");
}

export function nodeTls(): typeof import("node:tls") {
  return require("node:tls");
}

export function nodeHttp2(): typeof import("node:http2") {
  return require("node:http2");
}

export function nodeZlib(): typeof import("node:zlib") {
  return require("node:zlib");
}

export function nodeDnsPromises(): typeof import("node:dns/promises") {
  return require("node:dns/promises");
}

export function nodeUtil(): typeof import("node:util") {
  return require("node:util");
}
