// Indonesian personal names as voter lists write them, brought to one form so that the same
// person written two ways compares equal: case and spacing, punctuation, titles and degrees
// (H., Hj., Drs., S.Pd.), the old spelling (oe, dj, tj, sj, ch), doubled letters, a final y, and
// the common short forms (Muhammad / Muhamad / Mohammad / Moh. / Muh. / M., Abdul / Abd.,
// Nur / Noor). Pure: the phone and the server both use it, so the server's blind keys and the
// phone's checks agree.

/** Titles written before a name (canonical spelling, see canonicalToken). */
const PREFIX_TITLES: ReadonlySet<string> = new Set([
  'h', 'hj', 'haji', 'haja', 'hajah', 'drs', 'dra', 'dr', 'ir', 'prof', 'kh', 'ust', 'ustad', 'ustaz', 'ustadz', 'tgk', 'tuan', 'ny', 'nyonya', 'sdr', 'sdri', 'bpk', 'ibu',
]);

/** Degrees written after a name that cannot be mistaken for a name part. */
const DEGREES: ReadonlySet<string> = new Set([
  'spd', 'spdi', 'mpd', 'mpdi', 'skom', 'mkom', 'ssos', 'msos', 'sag', 'mag', 'skm', 'mkm', 'skep', 'mkep', 'sked', 'mked', 'mkes', 'skes', 'amd', 'amdkeb', 'amdkep',
  'sip', 'msi', 'ssi', 'shi', 'sei', 'sthi', 'sik', 'sfarm', 'apt', 'stp', 'spt', 'shut', 'sgz', 'sst', 'sth', 'mth', 'phd', 'msc', 'bsc', 'mba', 'mm', 'mh', 'mt', 'hc', 'st',
]);

/** Degrees that are also plausible name parts (Se, Ma, Lc): dropped only when written with a dot or after a comma. */
const DEGREES_WITH_DOT: ReadonlySet<string> = new Set(['se', 'sh', 'sp', 'ma', 'ba', 'lc', 'ns', 'si', 'ak', 'ah', 'md']);

/** Short and variant forms of the same name part, by canonical spelling. */
const SAME_NAME: Readonly<Record<string, string>> = {
  m: 'muhamad', md: 'muhamad', mhd: 'muhamad', moh: 'muhamad', muh: 'muhamad', mohd: 'muhamad', mohamad: 'muhamad', mohamed: 'muhamad',
  muhamed: 'muhamad', muhamat: 'muhamad', mohamat: 'muhamad', muhammad: 'muhamad', mukhamad: 'muhamad', mahamad: 'muhamad',
  abd: 'abdul', abdu: 'abdul', abdoel: 'abdul',
  nor: 'nur', nour: 'nur', nurr: 'nur',
  st: 'siti', sitti: 'siti',
};

/**
 * One name part in canonical spelling: old spelling to new (oe→u, dj→j, tj→c, sj→sy, ch and
 * kh→h), doubled letters single, a final y after a consonant as i. Rules run to a fixpoint, so
 * the result is canonical again (normaliseName is idempotent).
 */
export function canonicalSpelling(token: string): string {
  let t = token;
  for (;;) {
    const next = t
      .replace(/oe/g, 'u')
      .replace(/dj/g, 'j')
      .replace(/tj/g, 'c')
      .replace(/sj/g, 'sy')
      .replace(/[ck]h/g, 'h')
      .replace(/([a-z])\1+/g, '$1')
      .replace(/([^aiueo])y$/, '$1i');
    if (next === t) return t;
    t = next;
  }
}

function canonicalToken(token: string): string {
  const spelled = canonicalSpelling(token);
  return SAME_NAME[spelled] ?? spelled;
}

/** Words that join names (Ahmad bin Umar) and say nothing of the person. */
const CONNECTORS: ReadonlySet<string> = new Set(['bin', 'binti', 'bt', 'bte']);

interface Token {
  /** Lowercase letters and digits as written. */
  raw: string;
  /** In canonical spelling (canonicalToken). */
  text: string;
  /** Written with a dot (S.Pd., H.) or after a comma: a title or degree may be meant. */
  marked: boolean;
  afterComma: boolean;
}

const isTitleOrDegree = (word: string) => DEGREES.has(word) || DEGREES_WITH_DOT.has(word) || PREFIX_TITLES.has(word);

/** Splits a raw name into tokens, noting which carried a dot or followed a comma. */
function tokens(raw: string): Token[] {
  const folded = raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/['`\u2018\u2019]/g, '');
  const out: Token[] = [];
  let afterComma = false;
  // Apostrophes join (Ma'ruf → maruf); spaces, dashes and commas separate.
  for (const word of folded.split(/(,)|[\s\-_/]+/)) {
    if (word === undefined || word === '') continue;
    if (word === ',') {
      afterComma = true;
      continue;
    }
    const pieces = word.split(/[^\p{L}\p{N}]+/u).filter((p) => p !== '');
    const dotted = pieces.length > 0 && word !== pieces[0];
    const push = (text: string) => out.push({ raw: text, text: canonicalToken(text), marked: dotted || afterComma, afterComma });
    // "S.Pd.I" is one degree; "Moh.Ali" and "H.M." are several words.
    if (pieces.length > 1 && isTitleOrDegree(pieces.join(''))) push(pieces.join(''));
    else pieces.forEach(push);
  }
  return out;
}

/**
 * The canonical form of a name: lowercase words of letters and digits, one space apart, titles
 * and degrees removed, spellings unified. Idempotent; the same for any case, spacing or title.
 * A name made only of titles keeps its last word (it is still somebody's name as written).
 */
export function normaliseName(raw: string): string {
  const all = tokens(raw);
  // Everything after the first comma is degrees (Ahmad, S.Pd., M.Pd.), unless the comma came first.
  let parts = all.some((t) => !t.afterComma) ? all.filter((t) => !t.afterComma) : all;
  if (parts.some((t) => !CONNECTORS.has(t.text))) parts = parts.filter((t) => !CONNECTORS.has(t.text));
  const isTitle = (t: Token) => PREFIX_TITLES.has(t.text) || PREFIX_TITLES.has(t.raw);
  const isDegree = (t: Token) => DEGREES.has(t.text) || DEGREES.has(t.raw) || (t.marked && (DEGREES_WITH_DOT.has(t.text) || DEGREES_WITH_DOT.has(t.raw)));
  while (parts.length > 1 && isTitle(parts[0]!)) parts = parts.slice(1);
  while (parts.length > 1 && isDegree(parts[parts.length - 1]!)) parts = parts.slice(0, -1);
  return parts.map((t) => t.text).join(' ');
}

/** The name as one string without spaces (Nur Hayati = Nurhayati): the key names are grouped by. */
export function nameKey(raw: string): string {
  return normaliseName(raw).replace(/ /g, '');
}

/**
 * The distinct words of a normalised name, for the server's keyed name index (each word is
 * indexed on its own, so "Siti" finds "Hj. Siti Aminah, S.Pd."). Single letters are left out:
 * they name nobody and would match a large share of the requests.
 */
export function nameTokens(raw: string): string[] {
  return [...new Set(normaliseName(raw).split(' ').filter((t) => t.length >= 2))];
}

/** Jaro–Winkler similarity of two strings, in [0, 1]; symmetric. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const [s, t] = a.length <= b.length ? [a, b] : [b, a];
  const window = Math.max(0, Math.floor(t.length / 2) - 1);
  const sMatched = new Array<boolean>(s.length).fill(false);
  const tMatched = new Array<boolean>(t.length).fill(false);
  let matches = 0;
  for (let i = 0; i < s.length; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(t.length - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (tMatched[j] || s[i] !== t[j]) continue;
      sMatched[i] = true;
      tMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    if (!sMatched[i]) continue;
    while (!tMatched[k]) k++;
    if (s[i] !== t[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / s.length + m / t.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < s.length && s[prefix] === t[prefix]) prefix++;
  return Math.min(1, jaro + prefix * 0.1 * (1 - jaro));
}

/**
 * How alike two names are, in [0, 1] (1: the same after normalisation, or the same letters split
 * otherwise, Nur Hayati / Nurhayati); symmetric. With as many words on both sides: the weakest
 * word's Jaro–Winkler, in the written or the sorted order (Siti Aminah / Aminah Siti), so a typo
 * in one long word stays near while twins' names (Hasan Basri / Husin Basri) do not. With a word
 * more on one side: how well the shorter name's words are found in the longer (a middle name
 * left out). One slip of the keyboard in a name of 8 letters or more counts as near too.
 */
export function nameSimilarity(a: string, b: string): number {
  const na = normaliseName(a);
  const nb = normaliseName(b);
  if (na === nb) return 1;
  const ta = na.split(' ').filter((t) => t !== '');
  const tb = nb.split(' ').filter((t) => t !== '');
  if (ta.length === 0 || tb.length === 0) return 0;
  const ja = ta.join('');
  const jb = tb.join('');
  if (ja === jb) return 1;
  // One slip of the keyboard (a letter dropped, added, changed or two swapped) in a name of 8 letters or more.
  const slip = Math.min(ja.length, jb.length) >= 8 && withinOneEdit(ja, jb) ? 0.95 : 0;
  if (ta.length === tb.length) return Math.max(slip, weakestWord(ta, tb), weakestWord([...ta].sort(), [...tb].sort()));
  return Math.max(slip, 0.95 * contained(ta, tb));
}

/** Whether one edit (insert, delete, substitute, or swap of neighbours) turns a into b; symmetric. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function weakestWord(ta: readonly string[], tb: readonly string[]): number {
  let least = 1;
  for (let i = 0; i < ta.length; i++) least = Math.min(least, jaroWinkler(ta[i]!, tb[i]!));
  return least;
}

/** The share of the shorter name's words that match a word of the longer (ties: the first name's words). */
function contained(ta: readonly string[], tb: readonly string[]): number {
  const [short, long] = ta.length < tb.length || (ta.length === tb.length && ta.join(' ') <= tb.join(' ')) ? [ta, tb] : [tb, ta];
  // Only a name of two words or more can be contained: one word (Ahmad) is too common to say a person.
  if (short.length < 2) return 0;
  const pool = [...long];
  let total = 0;
  for (const w of short) {
    let best = 0;
    let at = -1;
    pool.forEach((p, i) => {
      const s = jaroWinkler(w, p);
      if (s > best) {
        best = s;
        at = i;
      }
    });
    if (at >= 0 && best >= 0.9) {
      total += best;
      pool.splice(at, 1);
    }
  }
  return total / short.length;
}
