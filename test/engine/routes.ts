// The route table every target serves, and the bytes of its static files.

/** Static files under /files/, by name and size in bytes. */
export const FILE_SIZES = {
  "small.bin": 1024,
  "medium.bin": 64 * 1024,
  "large.bin": 5 * 1024 * 1024,
} as const;

/** Deterministic file content: printable, so it gzips and prints sensibly. */
export function fileBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = 97 + ((i * 7 + (i >> 10)) % 26);
  return bytes;
}

/** Text served chunked (Bun: a stream; nginx: gzip on a text file). */
export const CHUNKED_TEXT = "chunked body line\n".repeat(4096);
