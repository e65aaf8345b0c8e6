import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startCatalog, type CatalogHarness } from '../../../test/support/catalog-app.js';

let catalog: CatalogHarness;
beforeAll(async () => {
  catalog = await startCatalog();
}, 60_000);
afterAll(() => catalog.close());

// The OpenAPI document is built on its first request rather than at start-up, so a route or schema it cannot
// describe shows here instead of stopping the service from starting.
describe('the catalog OpenAPI document', () => {
  it('describes every API route, and the page that shows it answers', async () => {
    const json = await catalog.http().get('/api/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.info).toMatchObject({ title: 'Lectern catalog' });
    expect(json.body.components.securitySchemes).toHaveProperty('bearer');
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/me', '/api/org-units']));
    expect(Object.keys(json.body.paths).length).toBeGreaterThan(100);
    expect((await catalog.http().get('/api/docs')).status).toBe(200);
    // Built once: a second request is answered from the same document.
    expect((await catalog.http().get('/api/docs-json')).body).toEqual(json.body);
  });
});
