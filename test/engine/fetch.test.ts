// The fetch engine against Bun.serve and raw TCP servers.
import { createBunTarget } from "./bun-target.ts";
import { fetchSubject, registerEngineCases } from "./engine.cases.ts";

registerEngineCases(fetchSubject, createBunTarget());
