// Windowed stats belong to the one judge (src/run/window.ts).
export { windowStats } from "../run/window.ts";
