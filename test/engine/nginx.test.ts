// Both engines against a real nginx (static files, gzip-chunked, keep-alive rules, TLS); skipped without nginx.
import { describe, test } from "bun:test";
import { fetchSubject, registerEngineCases, socketSubject } from "./engine.cases.ts";
import { createNginxTarget, findNginx } from "./nginx-target.ts";

const nginx = findNginx();

if (nginx === null) {
  describe("engine cases against nginx", () => {
    test.skip("SKIPPED: the nginx binary is not installed (apt-get install -y nginx)", () => {});
  });
} else {
  registerEngineCases(socketSubject, createNginxTarget(nginx));
  registerEngineCases(fetchSubject, createNginxTarget(nginx));
}
