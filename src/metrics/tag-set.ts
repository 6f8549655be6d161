// A tag set as one string key: how per-tag metrics are kept apart in snapshots, merges and the store.

export type Tags = Record<string, string>;

/** Where values beyond a tag key's bound are counted (src/plan/tags.ts). */
export const OTHER_TAG_VALUE = "other";

/** "endpoint=users&region=eu": keys sorted, both sides URI-encoded; "" for no tags. One string per distinct tag set. */
export function tagSetKey(tags: Tags): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(tags[k]!)}`)
    .join("&");
}

export function parseTagSetKey(key: string): Tags {
  const tags: Tags = {};
  if (key === "") return tags;
  for (const pair of key.split("&")) {
    const eq = pair.indexOf("=");
    tags[decodeURIComponent(pair.slice(0, eq))] = decodeURIComponent(pair.slice(eq + 1));
  }
  return tags;
}

/** Whether a tag set holds every tag of `want` (a threshold's or a breakdown's selection). */
export function tagsMatch(set: Tags, want: Tags): boolean {
  for (const k in want) if (set[k] !== want[k]) return false;
  return true;
}

/** The same tag set with every value "other": where a tag set beyond any bound is counted. */
export function foldedTagSetKey(key: string): string {
  const tags = parseTagSetKey(key);
  for (const k in tags) tags[k] = OTHER_TAG_VALUE;
  return tagSetKey(tags);
}

