// canonicalJson is hashed on the phone and on the server: its output must stay byte for byte what
// the first version (entries, filter, sort, join) wrote, for any JSON-like value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonWith } from '../../../core/hash.ts';

function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

const leaf = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 8 }),
}));

describe('canonicalJson', () => {
  it('writes what the reference writes, for any JSON-like value (undefined fields dropped, keys in code-unit order)', () => {
    fc.assert(fc.property(value, (v) => canonicalJson(v) === reference(v)), { numRuns: 2000 });
  });

  it('sorts keys by UTF-16 code units and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: undefined, B: [undefined, { z: 1, é: 2, Z: 3 }] })).toBe('{"B":[null,{"Z":3,"z":1,"é":2}],"b":1}');
  });

  it('canonicalJsonWith writes canonicalJson of the object, whichever of its fields come written already', () => {
    const obj = fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), value, { maxKeys: 8 });
    fc.assert(
      fc.property(obj, fc.array(fc.nat()), (o, picks) => {
        const keys = Object.keys(o);
        const known: Record<string, string> = {};
        for (const i of picks) if (keys.length > 0) known[keys[i % keys.length]!] = canonicalJson(o[keys[i % keys.length]!]);
        return canonicalJsonWith(o, known) === canonicalJson(o);
      }),
      { numRuns: 1000 },
    );
  });
});
