// The lookup for texts a lazily loaded screen keeps in its own chunk (hand-off, officer, safety
// copy, dashboard) rather than in the first-load catalogue of id.ts and en.ts. The texts stay
// beside their screens; only this small machinery is shared.
import { fill, type Lang } from '../../core/local-text.ts';
import { useLang } from './use-i18n.ts';

export type ChunkText<K extends string> = (key: K, params?: Record<string, string | number>) => string;

/** A hook giving a chunk's texts in the language the person chose. */
export function chunkText<K extends string>(catalogs: Record<Lang, Record<K, string>>): () => ChunkText<K> {
  return function useChunkText() {
    const catalog = catalogs[useLang((s) => s.lang)];
    return (key, params) => fill(catalog[key], params);
  };
}
