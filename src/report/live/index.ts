// The live dashboard: the public face of src/report/live (a run's page updated every second, the controller's runs and agents).
export { startDashboard, type Dashboard, type DashboardAction, type DashboardBackend, type DashboardOptions, type Requester } from "./server.ts";
export type { AgentRow, RunRow } from "./pages.tsx";
export type { LiveBegin, LiveResult, LiveUpdate, MergedSoFar } from "./live-run.ts";
