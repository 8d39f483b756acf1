// The sealing keys folder (DATA_DIR/keys or KEYS_DIR) travels with `jangkau backup` and `restore`:
// without its private keys, QR hand-offs and SMS still in transit cannot be opened. (The
// `*-device.secret` files older versions made are still carried, but no longer used: the channel
// devices are reserved rows since migration 011, opened by no secret.)
//
// Backup: the folder's files go inside the encrypted backup file (backup.ts), still wrapped by
// the KEK; nothing is copied beside it.
// Restore: from the backup's `keys/` entries, or from `<backup file>.keys/` beside an older
// unencrypted backup. Keys are only ever added (a key made after the
// backup keeps opening what was sealed to it); an old channel-device secret comes from the backup,
// a differing live one kept aside; the live `current` key stays when there is one (it may be a
// newer rotation).
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirOf, fsyncFile } from './sqlite-file.ts';

export const KEYS_SUFFIX = '.keys';

export function keyFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => !name.endsWith('.tmp') && !name.includes('.before-restore-') && statSync(join(dir, name)).isFile());
}

function copyPrivate(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o600);
  fsyncFile(to);
}

export function keysBackupDir(backupFile: string): string {
  return `${backupFile}${KEYS_SUFFIX}`;
}

function sameContent(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

/** Brings the backup's keys into the live keys folder; returns the report lines. Throws on failure. */
export function restoreKeys(from: string, keysDir: string, stamp: string): string[] {
  if (!existsSync(from) || !statSync(from).isDirectory()) {
    return [`No keys in the backup (${from}): ${keysDir} left as it is`];
  }
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  let added = 0;
  const lines: string[] = [];
  for (const name of keyFiles(from)) {
    const source = join(from, name);
    const live = join(keysDir, name);
    if (!existsSync(live)) {
      copyPrivate(source, live);
      added++;
      continue;
    }
    if (name.endsWith('-device.secret') && !sameContent(source, live)) {
      const kept = `${live}.before-restore-${stamp}`;
      renameSync(live, kept);
      copyPrivate(source, live);
      added++;
      lines.push(`  ${name} replaced by the backup's (it matches the restored database); previous kept as ${kept}`);
    }
  }
  fsyncDirOf(join(keysDir, 'x'));
  return [`Sealing keys restored into ${keysDir} from ${from} (${added} files added or replaced)`, ...lines];
}
