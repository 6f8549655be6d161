// spike: base_vus, with spike_vus for spike_duration starting at spike_at.
import { formatDuration } from "../core/duration.ts";
import { duration, vuCount } from "../core/plan-values.ts";
import { NO_VU, profileFields, vuProfile } from "./profile.ts";

/*
 * base_vus 5, spike_vus 100, spike_at 30s, spike_duration 15s, duration 90s:
 *
 * VUs
 * 100 ┤              ┌──────┐
 *     │              │      │
 *   5 ┤──────────────┘      └──────────────
 *     └──────────────┬──────┬─────────────▶ t (s)
 *     0              30     45           89
 *
 * The window is half-open, [spike_at, spike_at + spike_duration): t=30 and t=44 spike, t=45 is base again.
 * Both bounds are rounded to whole seconds; a positive spike_duration lasts at least one second.
 */
export const spike = vuProfile({
  type: "spike",
  schema: profileFields("spike", { base_vus: vuCount(0), spike_vus: vuCount(0), spike_at: duration(1000), spike_duration: duration(1000) }),
  docs: {
    summary: "`base_vus`, with `spike_vus` instead during the half-open window [`spike_at`, `spike_at + spike_duration`); the spike must end within the scenario.",
    fields: {
      base_vus: { description: "VUs outside the spike." },
      spike_vus: { description: "VUs during the spike (not added to `base_vus`: the total)." },
      spike_at: { description: "When the spike starts, from the scenario's start; at least 1s and before its end." },
      spike_duration: { description: "How long the spike lasts; at least 1s." },
    },
  },
  check(p) {
    if (p.base_vus === 0 && p.spike_vus === 0) return [{ path: ["spike_vus"], message: `must be at least 1: ${NO_VU}` }];
    return [];
  },
  checkIn(p, scenario) {
    const total = formatDuration(scenario.durationMs);
    if (p.spike_at >= scenario.durationMs) return [{ path: ["profile", "spike_at"], message: `must be before the end of the scenario (duration ${total})` }];
    if (p.spike_at + p.spike_duration > scenario.durationMs) {
      const window = `${formatDuration(p.spike_at)} to ${formatDuration(p.spike_at + p.spike_duration)}`;
      return [{ path: ["profile", "spike_duration"], message: `the spike (${window}) must end within the scenario's duration (${total})` }];
    }
    return [];
  },
  describe: (p) => `${p.base_vus} VUs, ${p.spike_vus} from ${formatDuration(p.spike_at)} for ${formatDuration(p.spike_duration)}`,
  vusAt(p, t) {
    const startS = Math.round(p.spike_at / 1000);
    const lengthS = p.spike_duration > 0 ? Math.max(1, Math.round(p.spike_duration / 1000)) : 0;
    return t >= startS && t < startS + lengthS ? p.spike_vus : p.base_vus;
  },
});
