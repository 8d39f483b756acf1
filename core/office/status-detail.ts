// The details a status change carries beyond its answer text, as the change log stores them and
// the pull sends them (core/protocol-schemas.ts ChangeSchema): one definition for server and phone.
import type { Change } from '../protocol.ts';

export type StatusDetail = Pick<Change, 'fields' | 'revision' | 'ground' | 'keberatanBy'>;

const KEYS = ['fields', 'revision', 'ground', 'keberatanBy'] as const;

/** The stored JSON of a detail, or null when it has none. */
export function detailJson(detail: StatusDetail | undefined): string | null {
  if (!detail) return null;
  const kept: StatusDetail = {};
  for (const k of KEYS) if (detail[k] !== undefined) Object.assign(kept, { [k]: detail[k] });
  return Object.keys(kept).length === 0 ? null : JSON.stringify(kept);
}

/** A stored detail back; anything unreadable reads as none. */
export function parseDetail(json: string | null | undefined): StatusDetail {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    const out: StatusDetail = {};
    if (Array.isArray(v.fields) && v.fields.every((f) => typeof f === 'string')) out.fields = v.fields as string[];
    if (typeof v.revision === 'number') out.revision = v.revision;
    if (typeof v.ground === 'string') out.ground = v.ground;
    if (typeof v.keberatanBy === 'string') out.keberatanBy = v.keberatanBy;
    return out;
  } catch {
    return {};
  }
}
