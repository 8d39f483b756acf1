// A marker file per running server process in DATA_DIR, so `restore` can tell that the SQLite file
// it is about to replace is open in a live server. Replacing the file under a running server
// would leave that server writing to the moved-away copy while devices are told "accepted".
//
// A marker outlives a crash (SIGKILL, power cut), so a marker alone proves nothing: it counts only
// while its process is alive and it was written during the current boot (after a reboot process
// ids are handed out again, often to unrelated processes).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Directory inside DATA_DIR holding one `<pid>.json` per running server. */
export const MARKER_DIR_NAME = 'running-servers';

interface MarkerContent {
  pid: number;
  startedAt: string;
  /** Linux boot id when readable; tells a marker of a previous boot from a live one. */
  bootId?: string;
}

export interface RunningServer {
  pid: number;
  startedAt: string;
}

function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user (e.g. the server runs as `jangkau`).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseMarker(text: string): MarkerContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<MarkerContent>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return undefined;
    return {
      pid: value.pid,
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : 'unknown',
      ...(typeof value.bootId === 'string' ? { bootId: value.bootId } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Records this process as a server of `dataDir`. The returned function removes the marker; it is
 * also removed on a normal process exit, so only a crash leaves one behind.
 */
export function markServerRunning(dataDir: string, now: Date = new Date()): () => void {
  const dir = join(dataDir, MARKER_DIR_NAME);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.json`);
  const bootId = currentBootId();
  const content: MarkerContent = { pid: process.pid, startedAt: now.toISOString(), ...(bootId ? { bootId } : {}) };
  writeFileSync(file, `${JSON.stringify(content)}\n`);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    rmSync(file, { force: true });
  };
  process.on('exit', release);
  return release;
}

/** Live servers of `dataDir`; markers left by crashed processes or earlier boots are ignored. */
export function findRunningServers(dataDir: string): RunningServer[] {
  const dir = join(dataDir, MARKER_DIR_NAME);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const bootId = currentBootId();
  const running: RunningServer[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    let marker: MarkerContent | undefined;
    try {
      marker = parseMarker(readFileSync(join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    if (!marker) continue;
    if (marker.bootId !== undefined && bootId !== undefined && marker.bootId !== bootId) continue;
    if (marker.pid === process.pid || !isAlive(marker.pid)) continue;
    running.push({ pid: marker.pid, startedAt: marker.startedAt });
  }
  return running;
}

/** Removes markers whose process is gone, so they do not pile up after crashes. */
export function removeStaleMarkers(dataDir: string): void {
  const dir = join(dataDir, MARKER_DIR_NAME);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const live = new Set(findRunningServers(dataDir).map((s) => `${s.pid}.json`));
  for (const name of names) if (name.endsWith('.json') && !live.has(name)) rmSync(join(dir, name), { force: true });
}
