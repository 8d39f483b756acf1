// The language switch and translation helpers. Indonesian unless the person chose English.
import { create } from 'zustand';
import { fill, type Lang, type LocalText } from '../../core/local-text.ts';
import { id, type MessageKey } from './id.ts';
import { en } from './en.ts';

const STORAGE_KEY = 'jangkau.lang';
const CATALOGS: Record<Lang, Record<MessageKey, string>> = { id, en };

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}

export const useLang = create<LangState>((set) => ({
  lang: initialLang(),
  setLang(lang) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode without storage: the choice lasts for this visit only.
    }
    document.documentElement.lang = lang;
    set({ lang });
  },
}));

export interface Translator {
  lang: Lang;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  local(text: LocalText): string;
  dateTime(value: number | string | Date): string;
  /** The date alone, e.g. "7 Des 2026". */
  day(value: number | string | Date): string;
  relative(ms: number, now?: number): string;
  size(bytes: number): string;
}

const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

/** Made on first use: building Intl formatters loads locale data, and the first screen seldom shows a date. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

export function translator(lang: Lang): Translator {
  const catalog = CATALOGS[lang];
  const dateFmt = once(() => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }));
  const dayFmt = once(() => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: 'Asia/Jakarta' }));
  const rel = once(() => new Intl.RelativeTimeFormat(LOCALES[lang], { numeric: 'auto' }));
  return {
    lang,
    t: (key, params) => fill(catalog[key], params),
    local: (text) => text[lang],
    dateTime: (value) => `${dateFmt().format(new Date(value))} WIB`,
    day: (value) => dayFmt().format(new Date(value)),
    size: (bytes) =>
      bytes < 1024 * 1024
        ? `${new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 }).format(Math.max(1, bytes / 1024))} KB`
        : `${new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} MB`,
    relative: (ms, now = Date.now()) => {
      const seconds = Math.round((ms - now) / 1000);
      const abs = Math.abs(seconds);
      // "sekarang" reads as a promise about the future: "baru saja" says it has happened.
      if (abs < 60) return catalog.justNow;
      if (abs < 3600) return rel().format(Math.round(seconds / 60), 'minute');
      if (abs < 86400) return rel().format(Math.round(seconds / 3600), 'hour');
      return rel().format(Math.round(seconds / 86400), 'day');
    },
  };
}

const cache = new Map<Lang, Translator>();

export function useI18n(): Translator {
  const lang = useLang((s) => s.lang);
  let tr = cache.get(lang);
  if (!tr) {
    tr = translator(lang);
    cache.set(lang, tr);
  }
  return tr;
}
