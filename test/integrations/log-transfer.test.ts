import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/esdb-double.js';
import { eventually } from '../agents/support/eventually.js';
import { openEsdbEventStore } from '../../src/eventstore/esdb/index.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { exportLog } from '../../src/integrations/log/export-log.js';
import { importLog, LogImportError } from '../../src/integrations/log/import-log.js';
import { backupEmbedded, restoreEmbedded, BackupError } from '../../src/integrations/log/embedded-backup.js';
import { resumePoint } from '../../src/integrations/log/resume-point.js';
import { toLogRecord } from '../../src/integrations/log/log-record.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import { approvedFeature } from '../pipelines/support/scripted-client.js';
import { GITHUB_SECRET, fixture, requestedBuild, sendGithub } from './support/deliveries.js';

const work = mkdtempSync(join(tmpdir(), 'agent-ledger-log-'));
const sourceDir = join(work, 'source');
let source: TestApp;
let double: EsdbDouble;

/** A history with every kind of aggregate, agents' work included. */
async function recordHistory(api: TestApp): Promise<void> {
  const { featureId } = await approvedFeature(api, 'Exported feature');
  await api.request('PATCH', `/api/features/${featureId}`, { body: { complexityPoints: 8 } });
  const { buildId } = await requestedBuild(api, 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
  await sendGithub(api, 'workflow_run', fixture('github-workflow-run-completed'), { deliveryId: 'exported-delivery' });
  await api.request('POST', `/api/builds/${buildId}/test-runs`, { body: { passed: 40, failed: 0, coverage: 92 } });
  await api.request('POST', `/api/builds/${buildId}/security-scans`, { body: { findings: [{ id: 'CVE-1', severity: 'low' }] } });
  const staging = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'staging', strategy: 'blue_green', version: '1.0.0' } });
  for (let step = 0; step < 3; step++) await api.request('POST', `/api/deployments/${staging.body.id}/advance`);
  const production = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'production', strategy: 'canary', version: '1.0.0' } });
  await api.request('POST', `/api/deployments/${production.body.id}/fail`, { body: { reason: 'latency' } });
  await api.request('POST', '/api/webhooks', { role: 'admin', body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['IncidentOpened'] } });
  await eventually(async () => ((await api.request('GET', `/api/incidents?deploymentId=${production.body.id}`)).body.items.length > 0 ? true : undefined), 'the incident');
  await eventually(async () => ((await api.request('GET', `/api/testplans/${featureId}`)).status === 200 ? true : undefined), 'the test plan');
}

async function caughtUp(api: TestApp): Promise<void> {
  const head = await api.backends.events.headPosition();
  expect(await api.projections.waitForAll(head ?? 0n, 20_000)).toBe(true);
}

/**
 * Every read model document, positions replaced by the ordinal of their event in the log: the
 * two stores number their logs differently, and the order is what must be the same.
 */
async function readModels(api: TestApp): Promise<Record<string, unknown[]>> {
  const ordinals = new Map<string, string>();
  const events = await api.backends.events.readAll({});
  events.forEach((event, i) => {
    ordinals.set(event.position.toString(), `#${i}`);
    ordinals.set(event.position.toString().padStart(20, '0'), `#${i}`);
  });
  const normalise = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((item) => normalise(item, key));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
    // Position keys (20 digits) may be ids or timestamps of a read model; plain positions are named so.
    if (typeof value === 'string' && (/^\d{20}$/.test(value) || /position|checkpoint/i.test(key))) return ordinals.get(value) ?? value;
    return value;
  };
  const models: Record<string, unknown[]> = {};
  for (const projection of allProjections()) {
    for (const logical of Object.keys(projection.collections)) {
      const docs = await api.projections.collection(logical).find({}, { sort: [['id', 1]], limit: 10_000 });
      models[logical] = docs.map((doc) => normalise(doc));
    }
  }
  return models;
}

async function exportTo(store: EventStore, file: string): Promise<number> {
  const out = createWriteStream(file);
  const count = await exportLog(store, out);
  out.end();
  await finished(out);
  return count;
}

beforeAll(async () => {
  source = await startTestApp({ GITHUB_WEBHOOK_SECRET: GITHUB_SECRET }, { dataDir: sourceDir, agents: { runner: { retryDelayMs: 50 } } });
  await recordHistory(source);
  await caughtUp(source);
  double = await startEsdbDouble();
}, 60_000);
afterAll(async () => {
  await source?.close();
  await double?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('npm run log -- export | import: from the embedded store to EventStoreDB', () => {
  it('exports the whole log as NDJSON; imported into the EventStoreDB double and rebuilt there, the read models equal the original ones', async () => {
    await source.agents!.stop();
    const file = join(work, 'log.ndjson');
    const count = await exportTo(source.backends.events, file);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(count);
    expect(count).toBe((await source.backends.events.readAll({})).length);
    expect(Object.keys(lines[0]).sort()).toEqual(['data', 'id', 'metadata', 'position', 'recordedAt', 'revision', 'stream', 'type']);

    const esdb = openEsdbEventStore({ connectionString: double.connectionString });
    try {
      // An import that stopped half-way, then the whole file again: it resumes, adding no duplicates.
      const half = join(work, 'half.ndjson');
      writeFileSync(half, lines.slice(0, Math.floor(count / 2)).map((line) => JSON.stringify(line)).join('\n') + '\n');
      const first = await importLog(esdb, createReadStream(half));
      const second = await importLog(esdb, createReadStream(file));
      expect(first.appended).toBe(Math.floor(count / 2));
      expect(second).toMatchObject({ appended: count - first.appended, skipped: first.appended });
      const imported = await esdb.readAll({});
      expect(imported.map((event) => [event.streamName, event.revision, event.id, event.type])).toEqual(lines.map((line) => [line.stream, line.revision, line.id, line.type]));
    } finally {
      await esdb.close();
    }

    const target = await startTestApp({ EVENTSTORE_URL: double.connectionString });
    try {
      await caughtUp(target);
      const [before, after] = [await readModels(source), await readModels(target)];
      expect(Object.values(before).flat().length).toBeGreaterThan(20);
      expect(after).toEqual(before);
    } finally {
      await target.close();
    }
  });

  it('refuses a line that is not an exported event, naming the line', async () => {
    const esdb = openEsdbEventStore({ connectionString: double.connectionString });
    const file = join(work, 'bad.ndjson');
    writeFileSync(file, '{"stream":"feature-x","revision":-1}\n');
    try {
      await expect(importLog(esdb, createReadStream(file))).rejects.toThrow(LogImportError);
      await expect(importLog(esdb, createReadStream(file))).rejects.toThrow(/^line 1: /);
    } finally {
      await esdb.close();
    }
  });
});

describe('npm run log -- backup | restore: the embedded store online', () => {
  it('backs up while the server runs and restores into a data directory that answers the same', async () => {
    const backup = join(work, 'backup');
    const files = await backupEmbedded(sourceDir, backup);
    expect(files).toEqual(expect.arrayContaining(['events.db', 'read-models.db']));
    // The server keeps working during and after the backup.
    const after = await source.request('POST', '/api/requirements', { body: { title: 'After the backup', description: '', priority: 'low', acceptanceCriteria: ['x'] } });
    expect(after.status).toBe(201);

    const restoredDir = join(work, 'restored');
    restoreEmbedded(backup, restoredDir);
    expect(() => restoreEmbedded(backup, restoredDir)).toThrow(BackupError);
    const restored = await startTestApp({}, { dataDir: restoredDir });
    try {
      const head = await restored.backends.events.headPosition();
      expect((await restored.request('GET', `/api/requirements/${after.body.id}`)).status).toBe(404);
      const list = async (api: TestApp, path: string) => (await api.request('GET', `${path}?limit=500&consistentWith=${head}`)).body.items;
      for (const path of ['/api/features', '/api/builds', '/api/deployments', '/api/incidents']) {
        expect(await list(restored, path)).toEqual(await list(source, path));
      }
    } finally {
      await restored.close();
    }
  });
});

describe('resuming an export', () => {
  it('goes on after the last complete line, cutting off a line the interruption left half-written', async () => {
    const file = join(work, 'partial.ndjson');
    await exportTo(source.backends.events, file);
    const whole = readFileSync(file, 'utf8');
    const lines = whole.trim().split('\n');
    writeFileSync(file, `${lines.slice(0, 5).join('\n')}\n${lines[5]!.slice(0, 30)}`);

    const after = resumePoint(file);

    expect(after).toBe(BigInt(JSON.parse(lines[4]!).position));
    const out = createWriteStream(file, { flags: 'a' });
    await exportLog(source.backends.events, out, { after });
    out.end();
    await finished(out);
    expect(readFileSync(file, 'utf8')).toBe(whole + (await tailSince(whole)));
  });
});

/** What was appended to the log after the first full export (the backup test adds a requirement). */
async function tailSince(firstExport: string): Promise<string> {
  const last = BigInt(JSON.parse(firstExport.trim().split('\n').at(-1)!).position);
  const newer = await source.backends.events.readAll({ after: last });
  return newer.map((event) => `${JSON.stringify(toLogRecord(event))}\n`).join('');
}
