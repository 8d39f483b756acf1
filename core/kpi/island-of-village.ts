// Which island a village lies on, for the sync-delay figures by island. The region catalogue
// lists populated islands but ties none of them to a village, so the tie is kept here as data:
// the villages on small islands by name, and otherwise the main island of the regency (Bangka
// for 19.01, 19.03, 19.04, 19.05 and 19.71; Belitung for 19.02 and 19.06). The province corrects
// or extends this list as a data change; a village not listed falls to its regency's main island.
// Island codes are the catalogue's (idn-area-data).

export const ISLAND_BANGKA = '19.00.40001';
export const ISLAND_BELITUNG = '19.00.40002';

/** Villages (Kemendagri codes) that lie on a small island, with that island's code. */
export const SMALL_ISLAND_VILLAGES: Readonly<Record<string, string>> = {
  // Kecamatan Lepar (Bangka Selatan): Pulau Lepar.
  '19.03.02.2001': '19.03.40037', // Tanjung Labu
  '19.03.02.2002': '19.03.40037', // Tanjung Sangkar
  '19.03.02.2004': '19.03.40037', // Kumbung
  '19.03.02.2005': '19.03.40037', // Penutuk
  // Kecamatan Kepulauan Pongok (Bangka Selatan).
  '19.03.08.2001': '19.03.40050', // Pongok: Pulau Pongok
  '19.03.08.2002': '19.03.40021', // Celagen: Pulau Celagen
  // Kecamatan Selat Nasik (Belitung): Pulau Mendanau, and Pulau Gersik.
  '19.02.03.2001': '19.02.40114', // Selat Nasik
  '19.02.03.2002': '19.02.40114', // Petaling
  '19.02.03.2003': '19.02.40114', // Suak Gual
  '19.02.03.2004': '19.02.40061', // Pulau Gersik
  // Kecamatan Membalong (Belitung).
  '19.02.02.2009': '19.02.40141', // Pulau Seliu: Pulau Seliuk
  '19.02.02.2010': '19.02.40142', // Pulau Sumedang: Pulau Semedang
  // Kecamatan Manggar (Belitung Timur).
  '19.06.01.2010': '19.06.40038', // Buku Limau: Pulau Buku Limau
};

const BELITUNG_REGENCIES = new Set(['19.02', '19.06']);

/** The island code of a village (or of any code under a regency), by the data above. */
export function islandOfVillage(villageCode: string): string {
  const small = SMALL_ISLAND_VILLAGES[villageCode];
  if (small) return small;
  const regency = villageCode.split('.').slice(0, 2).join('.');
  return BELITUNG_REGENCIES.has(regency) ? ISLAND_BELITUNG : ISLAND_BANGKA;
}
