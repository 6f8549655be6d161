// spike: base_vus, with spike_vus for spike_duration starting at spike_at.
import type { ProfileMath } from "./profile.ts";

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
export const spike = {
  vusAt(profile, t, _durationS) {
    const startS = Math.round(profile.spike_at / 1000);
    const lengthS = profile.spike_duration > 0 ? Math.max(1, Math.round(profile.spike_duration / 1000)) : 0;
    return t >= startS && t < startS + lengthS ? profile.spike_vus : profile.base_vus;
  },
} satisfies ProfileMath<"spike">;
