// Which version of each form and SOP a device holds, as it reports them on every pull, and which
// of them are behind what the province publishes now. The KPI table "Versi formulir" is built
// from these, so a regency can see which officers still work from an old form or procedure.
//
// Forms and SOPs share one list of items: a form by its formId, an SOP as `sop:<sopId>` (formIds
// never hold a colon). The same keys name SOPs in the forms tag (core/forms/forms-tag.ts).

export const sopItem = (sopId: string) => `sop:${sopId}`;
export const isSopItem = (item: string) => item.startsWith('sop:');

export interface HeldVersion {
  item: string;
  version: number;
}

/** At most this many items, and this long a header: anything larger is not a report. */
export const MAX_HELD_ITEMS = 200;
export const MAX_HELD_HEADER_CHARS = 8_000;

const ITEM_RE = /^(sop:)?[a-z0-9][a-z0-9-]{0,62}$/;

/** The newest version of each item, sorted by item. */
export function newestPerItem(list: readonly HeldVersion[]): HeldVersion[] {
  const newest = new Map<string, number>();
  for (const { item, version } of list) newest.set(item, Math.max(version, newest.get(item) ?? 0));
  return [...newest].map(([item, version]) => ({ item, version })).sort((a, b) => (a.item < b.item ? -1 : 1));
}

/** `ppid-permohonan@2,skm@1,sop:sop-coklit@3`: about 20 bytes an item. */
export function encodeHeld(list: readonly HeldVersion[]): string {
  return newestPerItem(list)
    .map((h) => `${h.item}@${h.version}`)
    .join(',');
}

/**
 * Reads a report; undefined when it is absent or malformed (too long, too many items, a bad item
 * or version, an item twice). A bad report is ignored rather than refused: it must never stop a
 * device's pull of its statuses.
 */
export function parseHeld(text: string | undefined): HeldVersion[] | undefined {
  if (text === undefined || text.length > MAX_HELD_HEADER_CHARS) return undefined;
  if (text.trim() === '') return [];
  const parts = text.split(',');
  if (parts.length > MAX_HELD_ITEMS) return undefined;
  const seen = new Set<string>();
  const list: HeldVersion[] = [];
  for (const part of parts) {
    const at = part.lastIndexOf('@');
    const item = part.slice(0, at).trim();
    const versionText = part.slice(at + 1).trim();
    if (at < 1 || !ITEM_RE.test(item) || !/^[1-9][0-9]{0,8}$/.test(versionText) || seen.has(item)) return undefined;
    seen.add(item);
    list.push({ item, version: Number(versionText) });
  }
  return list;
}

export interface ItemBehind {
  item: string;
  /** The version the device holds; 0 when it holds none. */
  version: number;
  current: number;
}

/**
 * One device's items behind what the province publishes now: held below the current version, or
 * not held at all (a form or SOP published since its last fetch). An item the province does not
 * (or no longer) publish has no current version and is never behind. Sorted by item.
 */
export function itemsBehind(held: readonly HeldVersion[], current: ReadonlyMap<string, number>): ItemBehind[] {
  const holds = new Map(held.map((h) => [h.item, h.version]));
  return [...current]
    .map(([item, now]) => ({ item, version: holds.get(item) ?? 0, current: now }))
    .filter((r) => r.version < r.current)
    .sort((a, b) => (a.item < b.item ? -1 : 1));
}

/** The version each form is offered at now: the newest version that is not retired. */
export function currentFormVersions(forms: readonly { formId: string; version: number; retired: boolean }[]): Map<string, number> {
  const current = new Map<string, number>();
  for (const f of forms) if (!f.retired && f.version > (current.get(f.formId) ?? 0)) current.set(f.formId, f.version);
  return current;
}
