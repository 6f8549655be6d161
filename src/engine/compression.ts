// Accept-Encoding for a step's `compression`, and decoding a body with Bun's built-in zlib, brotli and zstd.
import { nodeZlib } from "../core/builtins.ts";
import type { Compression } from "./types.ts";

const ACCEPT: Record<Compression, string> = { gzip: "gzip", br: "br", deflate: "deflate", zstd: "zstd", none: "identity" };

/** The Accept-Encoding value a step's compression asks for. */
export function acceptEncoding(compression: Compression): string {
  return ACCEPT[compression];
}

/**
 * The body as decoded by its Content-Encoding (any of gzip, br, deflate, zstd; others and identity
 * are left as they are). null: the body does not decode (the caller reports a protocol error).
 */
export function decodeBody(body: Uint8Array, contentEncoding: string | undefined): Uint8Array | null {
  if (contentEncoding === undefined || body.length === 0) return body;
  const coding = contentEncoding.trim().toLowerCase();
  try {
    switch (coding) {
      case "gzip":
      case "x-gzip":
        return Bun.gunzipSync(body as Uint8Array<ArrayBuffer>);
      case "br":
        return nodeZlib().brotliDecompressSync(body);
      case "deflate":
        // RFC 9110 says zlib-wrapped; some servers send raw deflate
        return (body[0]! & 0x0f) === 8 ? nodeZlib().inflateSync(body) : nodeZlib().inflateRawSync(body);
      case "zstd":
        return Bun.zstdDecompressSync(body as Uint8Array<ArrayBuffer>);
      default:
        return body;
    }
  } catch {
    return null;
  }
}

/**
 * The body checks and extraction see: decoded when the request asked for compression and the response
 * says how it is encoded. Sets result.bytesDecoded (0 when no compression was asked for). null: the body does not decode.
 */
export function bodyForChecks(
  request: { compression?: Compression | undefined },
  contentEncoding: string | undefined,
  body: Uint8Array,
  result: { bytesDecoded?: number },
): Uint8Array | null {
  if (request.compression === undefined || request.compression === "none") {
    // nothing was decoded: a decoded-bytes figure here would print "decoded: … from … on the wire" for plain bodies
    result.bytesDecoded = 0;
    return body;
  }
  const decoded = decodeBody(body, contentEncoding);
  result.bytesDecoded = decoded === null ? 0 : decoded.length;
  return decoded;
}
