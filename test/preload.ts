// Test preload: every indus process a test starts keeps its run store in a fresh temporary folder,
// never in the machine's ~/.indus (which another build may have written with a newer schema).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

process.env.INDUS_DATA_DIR ||= mkdtempSync(join(tmpdir(), "indus-test-home-"));
