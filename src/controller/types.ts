// The run model lives in src/run/; the controller's own code still names it from here.
export type * from "../run/types.ts";
