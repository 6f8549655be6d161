// Run ids: 8 hex characters, as the reference README shows (059a8d29).
export function newRunId(random: () => number = Math.random): string {
  let id = "";
  for (let i = 0; i < 8; i++) id += Math.floor(random() * 16).toString(16);
  return id;
}
