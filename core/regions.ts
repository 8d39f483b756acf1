// The province's regencies and cities (Kemendagri codes). The full catalogue of districts,
// villages and islands is generated from idn-area-data (see the forms issue); requests are
// addressed to the province or one of these seven.
export const PROVINCE_CODE = '19';

export const REGENCIES = [
  { code: '19.01', name: 'Kabupaten Bangka' },
  { code: '19.02', name: 'Kabupaten Belitung' },
  { code: '19.03', name: 'Kabupaten Bangka Selatan' },
  { code: '19.04', name: 'Kabupaten Bangka Tengah' },
  { code: '19.05', name: 'Kabupaten Bangka Barat' },
  { code: '19.06', name: 'Kabupaten Belitung Timur' },
  { code: '19.71', name: 'Kota Pangkal Pinang' },
] as const;
