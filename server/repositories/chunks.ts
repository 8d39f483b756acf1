// Multi-row statements keep a 500-item push to a handful of round trips; chunking keeps each
// statement under the bound-parameter limits of SQLite and PostgreSQL.
export function* inChunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
