// Packs a built binary into its release archive (tar.gz with `tar`; zip with `zip`, else scripts/zip.ts) and hashes archives.
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { join } from "node:path";
import { zipBytes } from "./zip.ts";

function run(cmd: string[], cwd: string): void {
  const p = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed (${p.exitCode}): ${p.stderr.toString().trim()}`);
}

/** Writes `archive` holding `files` (names relative to `dir`, at the archive's root). */
export async function packArchive(archive: string, dir: string, files: string[]): Promise<void> {
  if (archive.endsWith(".tar.gz")) {
    run(["tar", "-czf", archive, ...files], dir);
  } else if (archive.endsWith(".zip")) {
    if (Bun.which("zip")) {
      run(["zip", "-q", "-9", "-X", archive, ...files], dir);
    } else {
      const entries = await Promise.all(
        files.map(async (name) => ({ name, data: await Bun.file(join(dir, name)).bytes(), mode: statSync(join(dir, name)).mode & 0o777 })),
      );
      await Bun.write(archive, zipBytes(entries));
    }
  } else {
    throw new Error(`no packer for ${archive}`);
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** `sha256sum`'s format: hash, two spaces, file name; one line each. */
export function checksumsText(entries: { name: string; sha256: string }[]): string {
  return entries.map((e) => `${e.sha256}  ${e.name}\n`).join("");
}
