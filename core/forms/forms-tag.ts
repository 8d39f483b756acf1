// The forms tag: a short name for the set of form versions a server offers, and which of them are
// retired. The server sends it with every pull; the device computes it over the forms it holds
// (those bundled in the app included), so a device that already holds the very same catalogue
// knows there is nothing to fetch. Both sides call this one function, so the tags agree.
//
// A version's key stands for its content: a published version is never rewritten (publishing
// another text under the same number is refused), so the keys and retired flags say it all.

export interface TaggedVersion {
  formId: string;
  version: number;
  retired: boolean;
}

/** FNV-1a over the UTF-16 code units, 32 bits, from a given offset basis. */
function fnv1a(text: string, basis: number): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * `<number of versions>-<16 hex digits>`; independent of the order the versions are listed in.
 * Not a security measure: a wrong match would only delay a forms fetch until the next change.
 */
export function formsTagOf(versions: readonly TaggedVersion[]): string {
  const lines = versions.map((v) => `${v.formId}@${v.version}${v.retired ? '!' : ''}`).sort();
  const text = lines.join('\n');
  return `${lines.length}-${hex8(fnv1a(text, 0x811c9dc5))}${hex8(fnv1a(text, 0x050c5d1f))}`;
}
