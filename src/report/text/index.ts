// Text report: the public face of src/report/text — live table, end-of-run summary, status block.
export { formatTableHeader, formatProgressRow } from "./table.ts";
export { formatSummary, formatErrorsByClass, formatTags } from "./summary.ts";
export { formatRunStatus } from "./status.ts";
export { createLiveTable, type LiveTable } from "./live.ts";
