import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// SPEC §6: /docs works offline; the OpenAPI groups each resource under one tag.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

describe('/docs', () => {
  it('loads Swagger UI from this server only, and every asset it names is served', async () => {
    const page = String((await api.request('GET', '/docs', { role: null })).body);
    const urls = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      expect(url).toMatch(/^\/docs\/assets\//);
      const asset = await api.request('GET', url, { role: null });
      expect(asset.status, url).toBe(200);
    }
    expect(String((await api.request('GET', '/docs/assets/swagger-ui-bundle.js', { role: null })).body)).toContain('SwaggerUIBundle');
    expect((await api.request('GET', '/docs/assets/..%2Fpackage.json', { role: null })).status).toBe(404);
  });

  it('the OpenAPI has one tag per resource: no tag is another tag plus "s"', async () => {
    const spec = (await api.request('GET', '/openapi.json', { role: null })).body;
    const tags = new Set<string>();
    for (const path of Object.values(spec.paths) as any[]) for (const operation of Object.values(path) as any[]) operation.tags?.forEach((tag: string) => tags.add(tag));
    expect([...tags].filter((tag) => tags.has(`${tag}s`))).toEqual([]);
    expect(spec.paths['/api/features'].post.tags).toEqual(['features']);
    expect(spec.paths['/api/features'].get.tags).toEqual(['features']);
  });
});
