// The shape of the province's region catalogue. The catalogue itself is generated at build time
// (catalog.generated.ts, from idn-area-data) so the app can offer regions with no signal; page,
// worker and server all code against these types.

/**
 * A regency/city, district or village. Codes are Kemendagri's, dotted as the source ships them:
 * '19.01' (regency), '19.01.01' (district), '19.01.01.2001' (village). `parent` is the code one
 * level up; regencies have none because the catalogue holds one province only.
 */
export interface Region {
  code: string;
  name: string;
  parent?: string;
}

/**
 * A populated island. `regencyCode` is the regency it belongs to, or the province code '19' for
 * the two main islands (Bangka, Belitung), which span several regencies and which the source files
 * under no regency. Coordinates are decimal degrees (south is negative).
 */
export interface Island {
  code: string;
  name: string;
  regencyCode: string;
  lat?: number;
  lng?: number;
}

export interface RegionCatalog {
  /** The package and version the catalogue was generated from, e.g. 'idn-area-data 4.0.1'. */
  source: string;
  licence: 'ODbL-1.0';
  /** Each list is sorted by code. */
  regencies: Region[];
  districts: Region[];
  villages: Region[];
  /** Only islands the source flags as populated. */
  islands: Island[];
}

export type RegionLevel = 'regency' | 'district' | 'village';
