/** Files written so that readers (and a crash) see the old contents or the whole new ones. */
import * as fs from 'fs';

/** temp file + fsync + rename: readers see the old file or the whole new one. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data); // loops until every byte is written
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
