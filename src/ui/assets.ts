import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import { problem } from '../api/problem.js';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.png': 'image/png' };

interface Asset {
  body: Uint8Array;
  type: string;
}

/** A fixed set of files read once at start: names are looked up, never joined onto a path. */
function load(dir: string, names: string[]): Map<string, Asset> {
  return new Map(names.map((name) => [name, { body: new Uint8Array(readFileSync(join(dir, name))), type: TYPES[name.slice(name.lastIndexOf('.'))]! }]));
}

const consoleAssets = load(join(dirname(fileURLToPath(import.meta.url)), 'assets'), [
  'console.css',
  'common.js',
  'timeline.js',
  'aggregate.js',
  'pipeline.js',
  'operations.js',
]);

// Swagger UI from the installed package, so /docs needs no network.
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const docsAssets = load(swaggerDir, ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

function answer(c: Context, asset: Asset | undefined): Response {
  if (!asset) return problem(404, `no asset ${c.req.path}`);
  return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=300' });
}

export const serveAsset = (c: Context, name: string) => answer(c, consoleAssets.get(name));
export const serveDocsAsset = (c: Context, name: string) => answer(c, docsAssets.get(name));
