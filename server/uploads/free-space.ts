// Free space on the disk that holds a directory, as an unprivileged process may use it.
import { statfs } from 'node:fs/promises';

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}
