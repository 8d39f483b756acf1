// What the validator may know beyond the form and the answers: data, never I/O. The page and the
// server must pass the same context to get the same verdict; docs/forms.md says what each part
// changes and what happens when it is absent.
import type { RegionLevelName } from './definition.ts';

export type LookupLevel = RegionLevelName | 'island';

/** The region catalogue as the validator needs it. */
export interface RegionLookup {
  /** True when `code` is a known region of that level (for 'island': a populated island). */
  has(code: string, level: LookupLevel): boolean;
  /** The code one level up, or undefined for a regency or an unknown code. */
  parentOf(code: string): string | undefined;
}

export interface ValidationContext {
  /**
   * Without it only the shape of region and island codes is checked (level, and lying within the
   * field's `within`); with it the code must also exist in the catalogue.
   */
  regions?: RegionLookup;
  /**
   * Today's date in WIB (yyyy-mm-dd), for `maxDate: 'today'`. Without it that bound is not
   * checked. Only an upper bound may be relative: time moves forward, so a date the page accepted
   * is still accepted when the server sees it a week later.
   */
  today?: string;
}

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The calendar date in Asia/Jakarta (UTC+7 all year, no daylight saving) at `now`. */
export function todayInWib(now: number = Date.now()): string {
  return new Date(now + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** The parts of a region catalogue the lookup is built from (core/regions/types.ts has them all). */
export interface RegionCatalogLike {
  regencies: readonly { code: string; name: string; parent?: string }[];
  districts: readonly { code: string; name: string; parent?: string }[];
  villages: readonly { code: string; name: string; parent?: string }[];
  islands: readonly { code: string; name: string; regencyCode: string }[];
}

export interface NamedRegion {
  code: string;
  name: string;
}

/** The lookup plus what the page needs to offer choices: children by parent, names by code. */
export interface RegionDirectory extends RegionLookup {
  /** Regencies under a province code, districts under a regency, villages under a district. */
  childrenOf(code: string): readonly NamedRegion[];
  /** Populated islands of a regency (or, for the province code, the islands filed under it). */
  islandsOf(code: string): readonly NamedRegion[];
  nameOf(code: string): string | undefined;
}

/** Indexes a catalogue once, so the page's cascading selects and the validator stay cheap. */
export function regionDirectory(catalog: RegionCatalogLike, provinceCode = '19'): RegionDirectory {
  const levels = new Map<string, LookupLevel>();
  const parents = new Map<string, string>();
  const names = new Map<string, string>();
  const children = new Map<string, NamedRegion[]>();
  const islands = new Map<string, NamedRegion[]>();
  const add = (map: Map<string, NamedRegion[]>, key: string, item: NamedRegion) => {
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  };
  const index = (list: RegionCatalogLike['regencies'], level: RegionLevelName) => {
    for (const r of list) {
      const parent = r.parent ?? (level === 'regency' ? provinceCode : undefined);
      levels.set(r.code, level);
      names.set(r.code, r.name);
      if (parent) {
        parents.set(r.code, parent);
        add(children, parent, { code: r.code, name: r.name });
      }
    }
  };
  index(catalog.regencies, 'regency');
  index(catalog.districts, 'district');
  index(catalog.villages, 'village');
  for (const i of catalog.islands) {
    levels.set(i.code, 'island');
    names.set(i.code, i.name);
    parents.set(i.code, i.regencyCode);
    add(islands, i.regencyCode, { code: i.code, name: i.name });
  }
  return {
    has: (code, level) => levels.get(code) === level,
    parentOf: (code) => parents.get(code),
    childrenOf: (code) => children.get(code) ?? [],
    islandsOf: (code) => islands.get(code) ?? [],
    nameOf: (code) => names.get(code),
  };
}
