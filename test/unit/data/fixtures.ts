/**
 * Test fixtures for the data layer: hand-built IDX files, the official Fashion-MNIST files
 * rebuilt from Debian's copies, and a local HTTP server (this machine has no internet).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as zlib from 'zlib';
import { idxBaseNames, type IdxRole } from '../../../kernel/data/registry';
import { repoRoot } from '../helpers';

export const debianDir = '/usr/share/datasets/fashion-mnist';
export const golden = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'golden', 'data', 'fashion-mnist.json'), 'utf8'));

/** An IDX file of unsigned bytes: magic 0x000008NN, big-endian dims, then the data. */
export function idx(dims: number[], data: ArrayLike<number>, magic = 0x00000800 | dims.length): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic >>> 0, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(data))]);
}

/** A tiny valid set: `count` images of rows×cols with pixel value (i*7 + p) % 256, labels i % classes. */
export function tinySet(count: number, rows = 4, cols = 3, classes = 10): { images: Buffer; labels: Buffer } {
  const pixels = Array.from({ length: count * rows * cols }, (_, k) => (Math.floor(k / (rows * cols)) * 7 + (k % (rows * cols))) % 256);
  return { images: idx([count, rows, cols], pixels), labels: idx([count], Array.from({ length: count }, (_, i) => i % classes)) };
}

/** Write the four files of an MNIST-format folder (gzip optional), returning the folder. */
export function writeFolder(dir: string, parts: Partial<Record<IdxRole, Buffer>>, gzip = false): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [role, bytes] of Object.entries(parts) as [IdxRole, Buffer][]) {
    fs.writeFileSync(path.join(dir, idxBaseNames[role] + (gzip ? '.gz' : '')), gzip ? zlib.gzipSync(bytes) : bytes);
  }
  return dir;
}

/** The original gzip mtimes of the official Fashion-MNIST files (see kernel/data/registry.ts). */
const officialMtime: Record<IdxRole, number> = {
  trainImages: 1504176606,
  trainLabels: 1504176606,
  testImages: 1504176627,
  testLabels: 1504176627,
};

/**
 * The official Fashion-MNIST `.gz` file, rebuilt from Debian's copy: the same deflate data
 * and trailer, with the original header (FNAME flag, the mtime, the file name) put back.
 */
export function officialFashionFile(role: IdxRole): Buffer {
  const deb = fs.readFileSync(path.join(debianDir, idxBaseNames[role] + '.gz'));
  if (deb[0] !== 0x1f || deb[1] !== 0x8b || deb[3] !== 0) throw new Error(`${role}: Debian file has an unexpected gzip header`);
  const header = Buffer.alloc(10);
  deb.copy(header, 0, 0, 10);
  header[3] = 0x08; // FNAME: the original names its file
  header.writeUInt32LE(officialMtime[role], 4);
  return Buffer.concat([header, Buffer.from(idxBaseNames[role] + '\0', 'latin1'), deb.subarray(10)]);
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/** How the test server answers a path. */
export type Route = { body: Buffer } | { status: number } | { body: Buffer; cutAt: number; stall?: boolean };

/** A local HTTP server: `routes['/x']` says how to answer GET /x; anything else is a 404. */
export async function serve(routes: Record<string, Route>): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (!route || 'status' in route) {
      res.writeHead(route && 'status' in route ? route.status : 404).end('not here');
    } else if ('cutAt' in route) {
      // Promise the whole file, send part of it, then drop the connection (or stall).
      res.writeHead(200, { 'content-length': route.body.length });
      res.write(route.body.subarray(0, route.cutAt), () => route.stall || res.destroy());
    } else {
      res.writeHead(200, { 'content-length': route.body.length }).end(route.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
