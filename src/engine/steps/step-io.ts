// One step's request and what follows its response: cookies, redirects, checks, extraction, recording.
import type { StepRecorder } from "../../metrics/recorder.ts";
import { MAX_REDIRECTS } from "../../plan/types.ts";
import type { PreparedRequest, RequestResult } from "../types.ts";
import type { StepProgram } from "./program.ts";
import type { VuState } from "./vu-state.ts";

/**
 * The request to send: the step's own, prepared once, unless it has templates or the VU holds cookies
 * for it. A step with neither (the hot path) allocates nothing here. A string says why it cannot be sent.
 */
export function requestFor(vu: VuState, step: StepProgram): PreparedRequest | string {
  const request = step.request ?? step.render!(vu);
  if (typeof request === "string") return request;
  return withCookies(vu, request);
}

/** The request with the VU's cookies for its URL added (the same request when there are none). */
export function withCookies(vu: VuState, request: PreparedRequest): PreparedRequest {
  const jar = vu.jar;
  if (jar === null || jar.size === 0) return request;
  const cookie = jar.header(request.url);
  if (cookie === null) return request;
  const headers = { ...request.headers };
  const own = Object.keys(headers).find((name) => name.toLowerCase() === "cookie");
  if (own === undefined) headers.Cookie = cookie;
  else headers[own] = `${headers[own]}; ${cookie}`;
  return { ...request, headers };
}

/** A 3xx this step follows: one with a Location, while redirects are on. */
export function redirects(step: Pick<StepProgram, "followRedirects">, result: RequestResult): boolean {
  const s = result.status;
  return step.followRedirects && result.location != null && (s === 301 || s === 302 || s === 303 || s === 307 || s === 308);
}

/**
 * Follows a step's redirects, up to MAX_REDIRECTS. Every hop is a request of the step in the stats
 * (the target served it); checks and extraction see only the last. Returns the final result, or null
 * when the run was aborted.
 */
export async function followRedirects(
  vu: VuState,
  step: Pick<StepProgram, "followRedirects">,
  request: PreparedRequest,
  result: RequestResult,
  recorder: StepRecorder,
  lateUs: number,
  abort: AbortSignal,
): Promise<RequestResult | null> {
  let current = request;
  let last = result;
  for (let hop = 0; hop < MAX_REDIRECTS && redirects(step, last); hop++) {
    const next = redirectRequest(current, last.status, last.location!);
    if (next === undefined) break;
    if (last.setCookies) vu.cookieJar()?.store(last.setCookies, current.url);
    record(recorder, last, lateUs, vu.tagSet);
    current = withCookies(vu, next);
    last = await vu.client.send(current, abort);
    if (abort.aborted) return null;
  }
  return last;
}

/** How one step of an async VU loop ended: its request went out, it could not be built (recorded as a failed request), or the run was aborted while it was out (nothing recorded). */
export type StepOutcome = "sent" | "unsent" | "aborted";

/**
 * One step of an async VU loop (a script scenario's own steps, an arrival-rate iteration): its request built, sent,
 * its redirects followed and its result settled. The YAML closed loop runs the same sequence on callbacks
 * (src/engine/runner/step-loop.ts).
 */
export async function runStep(vu: VuState, step: StepProgram, recorder: StepRecorder, lateUs: number, abort: AbortSignal): Promise<StepOutcome> {
  const request = requestFor(vu, step);
  if (typeof request === "string") {
    settle(vu, step, null, unsent(request), recorder, lateUs);
    return "unsent";
  }
  let result = await vu.client.send(request, abort);
  if (abort.aborted) return "aborted";
  if (result.location != null && redirects(step, result)) {
    const last = await followRedirects(vu, step, request, result, recorder, lateUs, abort);
    if (last === null) return "aborted";
    result = last;
  }
  settle(vu, step, request, result, recorder, lateUs);
  return "sent";
}

/** The request a redirect asks for: 303 (and 301/302 after a POST) turn into a GET without a body, as browsers do. */
function redirectRequest(from: PreparedRequest, status: number, location: string): PreparedRequest | undefined {
  if (!URL.canParse(location, from.url)) return undefined;
  const url = new URL(location, from.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const toGet = status === 303 ? from.method !== "HEAD" : (status === 301 || status === 302) && from.method === "POST";
  const sameOrigin = url.origin === from.url.origin;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(from.headers)) {
    const lower = name.toLowerCase();
    if (toGet && (lower === "content-type" || lower === "content-length")) continue;
    // credentials and cookies are for the origin they were written for; the jar adds the right ones again
    if (lower === "cookie" || (!sameOrigin && lower === "authorization")) continue;
    headers[name] = value;
  }
  return { ...from, method: toGet ? "GET" : from.method, url, headers, body: toGet ? undefined : from.body };
}

/**
 * Everything after the final response: cookies into the jar, checks counted (a failure is an error of
 * class "check" unless the step says otherwise, or the request already failed), variables extracted,
 * then the request recorded. Returns whether every check passed.
 */
export function settle(vu: VuState, step: StepProgram, request: PreparedRequest | null, result: RequestResult, recorder: StepRecorder, lateUs: number): boolean {
  if (result.setCookies && request !== null) vu.cookieJar()?.store(result.setCookies, request.url);
  let passed = true;
  const checks = step.checks;
  if (checks.length > 0) {
    const response = result.response ?? null;
    for (let i = 0; i < checks.length; i++) {
      if (checks[i]!.test(result, response, vu)) recorder.checkPasses[i]!++;
      else {
        recorder.checkFails[i]!++;
        passed = false;
      }
    }
    if (!passed && step.checkAsError && result.error === null) result.error = "check";
  }
  const extracts = step.extracts;
  for (let i = 0; i < extracts.length; i++) {
    const e = extracts[i]!;
    const value = e.read(result, result.response ?? null, vu.jar);
    // a value the response lacks leaves the variable empty, not stale from an earlier iteration
    vu.vars.set(e.name, value ?? "");
  }
  record(recorder, result, lateUs, vu.tagSet);
  return passed;
}

/** A request that could not be built (a template rendered into no URL): a failed request of the step, and why. */
export function unsent(why: string): RequestResult {
  return { status: 0, durationUs: 0, bytesIn: 0, bytesOut: 0, error: "other", errorDetail: why, connected: false, setCookies: null, location: null, response: null };
}

function record(recorder: StepRecorder, result: RequestResult, lateUs: number, tagSet: number): void {
  recorder.record(result);
  if (lateUs >= 0) recorder.recordIntended(result.durationUs + lateUs);
  // data.tags: the same request again under the tag set of the VU's row (resolved once per iteration)
  const tagged = recorder.tagged?.of(tagSet);
  if (tagged) {
    tagged.record(result);
    if (lateUs >= 0) tagged.recordIntended(result.durationUs + lateUs);
  }
}
