// The socket engine against Bun.serve and raw TCP servers.
import { createBunTarget } from "./bun-target.ts";
import { registerEngineCases, socketSubject } from "./engine.cases.ts";

registerEngineCases(socketSubject, createBunTarget());
