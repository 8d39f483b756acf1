// The ODbL asks anyone who uses the database publicly to say where it comes from and under which
// licence; the app shows this text wherever it offers the region lists.
export const REGION_ATTRIBUTION: { readonly id: string; readonly en: string } = {
  id: 'Data wilayah: idn-area-data © para kontributor idn-area-data, bersumber dari Kemendagri, ' +
    'dilisensikan di bawah Open Database License (ODbL) 1.0.',
  en: 'Region data: idn-area-data © the idn-area-data contributors, from Kemendagri data, ' +
    'licensed under the Open Database License (ODbL) 1.0.',
} as const;

export const REGION_LICENCE_URL = 'https://opendatacommons.org/licenses/odbl/1-0/';
export const REGION_SOURCE_URL = 'https://github.com/fityannugroho/idn-area-data';
