// The data operations routes may use, bound to the app's database. Routes never build SQL.
import type { ServerStatus } from '../../core/protocol.ts';
import { changesForDevice, type ChangesPage } from '../repositories/change-log.ts';
import { verifyDevice, type DeviceCheck, type DeviceCredentials } from '../repositories/devices.ts';
import { followSubmissions, type FollowResult } from '../repositories/follow.ts';
import { FormCatalog, formsTag } from '../repositories/forms.ts';
import { storedPayloadHashes, submissionIngest, type IngestItem, type IngestResult, type InTransactionStep } from '../repositories/submissions.ts';
import { sql } from 'kysely';
import { sharedPlugin } from './shared-plugin.ts';
import { changeRequestStatus, serverLifecycle, type LifecycleResult } from '../services/request-lifecycle.ts';

export interface Repositories {
  forms: FormCatalog;
  verifyDevice(creds: DeviceCredentials): Promise<DeviceCheck>;
  /** Registers or checks the device and stores the items, in one transaction (shared with other pushes on SQLite); `voters` runs in it. */
  ingest(device: DeviceCredentials, items: readonly IngestItem[], receivedAt: string, voters?: InTransactionStep): Promise<IngestResult>;
  /** The payload hashes of those submission ids that are stored. */
  storedHashes(ids: readonly string[]): Promise<Map<string, string>>;
  changesForDevice(deviceId: string, since: number, limit: number): Promise<ChangesPage>;
  /** Registers or checks the device and links it to the submissions whose secrets it proves. */
  follow(device: DeviceCredentials, items: readonly { id: string; secret: string }[]): Promise<FollowResult>;
  /** A status change through the lifecycle service (tests, seeds): as the CLI's, without an officer's scope. */
  updateStatus(id: string, status: ServerStatus, answer?: string, ground?: string): Promise<LifecycleResult>;
  formsTag(): Promise<string>;
  ping(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    repos: Repositories;
  }
}

export const repositoriesPlugin = sharedPlugin('jangkau-repositories', async (app) => {
  const { db, dialect } = app;
  const repos: Repositories = {
    forms: new FormCatalog(db),
    verifyDevice: (creds) => verifyDevice(db, creds),
    ingest: submissionIngest(db, dialect, app.dataKeys),
    storedHashes: (ids) => storedPayloadHashes(db, ids),
    changesForDevice: (deviceId, since, limit) => changesForDevice(db, deviceId, since, limit),
    follow: (device, items) => followSubmissions(db, dialect, device, items, new Date().toISOString()),
    // app.statusSms is read at call time: its plugin registers after this one.
    updateStatus: (id, status, answer, ground) =>
      changeRequestStatus(serverLifecycle(app), { id, status, ...(answer !== undefined ? { answer } : {}), ...(ground !== undefined ? { ground } : {}) }),
    formsTag: () => formsTag(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
  };
  app.decorate('repos', repos);
});
