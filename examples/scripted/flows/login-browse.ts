// Log in as this iteration's data row, keep the token in the VU's state, then browse with it.
import type { SetupContext, VU } from "indus";

const base = (vu: { env: Record<string, string | undefined> }) => vu.env.TARGET_URL ?? "http://localhost:8080";

/** Once per run: the target must be up before any VU starts. */
export async function setup(ctx: SetupContext) {
  const r = await ctx.http.get(`${base(ctx)}/healthz`);
  if (r.status !== 200) throw new Error(`the target is not healthy: ${r.status} ${r.error ?? ""}`);
  return { startedAt: Date.now() };
}

export default async function (vu: VU) {
  // one login per VU: the token is kept across iterations
  if (vu.state.token === undefined) {
    const login = await vu.http.post(`${base(vu)}/api/login`, { json: { username: vu.data.username, password: vu.data.password } }, { step: "login" });
    if (!vu.check("logged in", login.status === 200)) return;
    vu.state.token = login.json().token;
  }
  const auth = { Authorization: `Bearer ${vu.state.token}` };
  await vu.step("browse", async () => {
    const me = await vu.http.get(`${base(vu)}/api/me`, { headers: auth });
    vu.check("me is the user", me.json().user === vu.data.username || me.status === 200);
    const page = await vu.http.get(`${base(vu)}/api/items?page=1`, { headers: auth });
    vu.check("a page of items", page.json().items.length > 0);
  });
  await vu.sleep("100ms");
}

/** Once per run, after the last VU: here only a health check again (a real one would delete what the run created). */
export async function teardown(ctx: SetupContext, shared: { startedAt: number }) {
  const r = await ctx.http.get(`${base(ctx)}/healthz`, { query: { run_started: shared.startedAt } });
  if (r.status !== 200) throw new Error(`the target went unhealthy during the run: ${r.status}`);
}
