import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

// Online backup of the embedded backends with SQLite's backup API: it copies a consistent
// snapshot page by page while the server goes on writing.

/** Read models first: their checkpoints are then at or behind the log in the same backup. */
const DATABASES = ['read-models.db', 'events.db'] as const;
const EVENTS = 'events.db';
const SIDE_FILES = ['auth-secret'];

export interface BackupProgress {
  file: string;
  totalPages: number;
  remainingPages: number;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

export async function backupEmbedded(dataDir: string, target: string, onProgress?: (progress: BackupProgress) => void): Promise<string[]> {
  if (!existsSync(join(dataDir, EVENTS))) throw new BackupError(`there is no embedded event store in ${dataDir} (no ${EVENTS})`);
  if (existsSync(join(target, EVENTS))) throw new BackupError(`${target} already holds a backup; choose an empty directory`);
  mkdirSync(target, { recursive: true });
  const written: string[] = [];
  for (const file of DATABASES) {
    const source = join(dataDir, file);
    if (!existsSync(source)) continue;
    const db = new Database(source, { fileMustExist: true, timeout: 5000 });
    try {
      let pages = Number(db.pragma('page_count', { simple: true }));
      await db.backup(join(target, file), {
        progress: ({ totalPages, remainingPages }) => {
          pages = totalPages;
          onProgress?.({ file, totalPages, remainingPages });
          // Pages per step: small enough that the server's writers are not held up for long.
          return 1000;
        },
      });
      onProgress?.({ file, totalPages: pages, remainingPages: 0 });
    } finally {
      db.close();
    }
    written.push(file);
  }
  for (const file of SIDE_FILES) {
    if (existsSync(join(dataDir, file))) {
      copyFileSync(join(dataDir, file), join(target, file));
      written.push(file);
    }
  }
  return written;
}

/**
 * Puts a backup in place as DATA_DIR's embedded backends. The server must be stopped. An existing
 * store is replaced only when asked (`force`), and the backup is checked before anything is touched.
 */
export function restoreEmbedded(backup: string, dataDir: string, options: { force?: boolean } = {}): string[] {
  const source = join(backup, EVENTS);
  if (!existsSync(source)) throw new BackupError(`${backup} holds no backup (no ${EVENTS})`);
  for (const file of DATABASES) {
    if (!existsSync(join(backup, file))) continue;
    const db = new Database(join(backup, file), { readonly: true, fileMustExist: true });
    try {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new BackupError(`${file} in the backup is damaged: ${String(check)}`);
    } finally {
      db.close();
    }
  }
  if (existsSync(join(dataDir, EVENTS)) && !options.force) {
    throw new BackupError(`${dataDir} already has an event store; pass --force to replace it (stop the server first)`);
  }
  mkdirSync(dataDir, { recursive: true });
  const restored: string[] = [];
  for (const file of DATABASES) {
    // A write-ahead log left beside the old file would be replayed into the restored one.
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, file + suffix), { force: true });
    if (!existsSync(join(backup, file))) continue;
    copyFileSync(join(backup, file), join(dataDir, file));
    restored.push(file);
  }
  for (const file of SIDE_FILES) {
    if (existsSync(join(backup, file))) {
      copyFileSync(join(backup, file), join(dataDir, file));
      restored.push(file);
    }
  }
  return restored;
}
