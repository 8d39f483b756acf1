// Group commit for SQLite. better-sqlite3 runs on the event loop's own thread, and with
// synchronous=FULL every commit waits for an fsync of the WAL: one transaction per push spent more
// than a third of the server's time blocked in fsync while other pushes were ready. Here the
// pushes that are ready in the same turn of the event loop share one transaction, and so one
// fsync. Each runs inside its own savepoint, so one that fails is undone alone and only its caller
// hears of it; the others are answered only after the shared commit, so nothing is acknowledged
// before it is durable (invariant 3). PostgreSQL needs none of this: its connections commit in
// parallel and its WAL writer already flushes concurrent commits together.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export type TransactionWork<T> = (trx: Transaction<Database>) => Promise<T>;

export interface GroupCommit {
  /** Runs `work` in a transaction shared with the other work queued this turn; settles after the commit. */
  run<T>(work: TransactionWork<T>): Promise<T>;
}

interface Job {
  work: TransactionWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Most pieces of work per transaction: bounds how long one commit holds the writer. */
const DEFAULT_MAX_GROUP = 64;

export function createGroupCommit(db: Kysely<Database>, maxGroup = DEFAULT_MAX_GROUP): GroupCommit {
  const queue: Job[] = [];
  let scheduled = false;

  async function runGroup(group: readonly Job[]): Promise<void> {
    const settled: Settled[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        for (const job of group) {
          await sql`savepoint push`.execute(trx);
          try {
            settled.push({ ok: true, value: await job.work(trx) });
            await sql`release push`.execute(trx);
          } catch (error) {
            await sql`rollback to push`.execute(trx);
            await sql`release push`.execute(trx);
            settled.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The shared commit failed (or a savepoint could not be undone): nothing of the group is stored.
      for (const job of group) job.reject(error);
      return;
    }
    group.forEach((job, i) => {
      const outcome = settled[i];
      if (outcome?.ok) job.resolve(outcome.value);
      else job.reject(outcome ? outcome.error : new Error('group commit: work not run'));
    });
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) await runGroup(queue.splice(0, maxGroup));
    scheduled = false;
  }

  return {
    run<T>(work: TransactionWork<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (scheduled) return;
        scheduled = true;
        // After this turn's I/O callbacks: every push whose body finished decoding meanwhile joins.
        setImmediate(() => void flush());
      });
    },
  };
}
