// Mock target: the public face of src/mock.
export { createMockServer, describeMockServer, MOCK_ENDPOINTS, type MockServer } from "./server.ts";
export { parseMockArgs, MOCK_USAGE } from "./args.ts";
export { resolveMockOptions, MOCK_DEFAULTS, type MockOptions, type ResolvedMockOptions } from "./options.ts";
export type { MockStats } from "./counts.ts";
