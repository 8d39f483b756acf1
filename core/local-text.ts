// Text that the product shows in both of its languages. Bahasa Indonesia comes first.
export type Lang = 'id' | 'en';
export const LANGS: readonly Lang[] = ['id', 'en'];

export interface LocalText {
  id: string;
  en: string;
}

/** Fills {name} placeholders. */
export function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in params ? String(params[key]) : m));
}
