import { expect } from '@jest/globals';
import { DEMO_PASSWORD } from '../../src/seed/demo-organisation.js';
import { startCatalog, type CatalogHarness } from '../../../../test/support/catalog-app.js';

export interface BankSetUp {
  catalog: CatalogHarness;
  /** Unit ids by path (`committee/east`). */
  units: Record<string, string>;
  /** A signed-in token for each login asked for. */
  tokens: Record<string, string>;
}

/**
 * Starts the catalog on the demo organisation with an editor in each branch of the committee
 * (`east-editor` in committee/east, `west-editor` in committee/west), made by the committee admin the way an
 * organisation would, and signs in `logins`.
 */
export async function startWithBranchEditors(logins: readonly string[]): Promise<BankSetUp> {
  const catalog = await startCatalog();
  const units: Record<string, string> = {};
  for (const { id, path } of await catalog.dataSource.query(`SELECT id, path FROM org_units`)) units[path] = id;
  const admin = await catalog.tokenFor('admin');
  for (const [login, unit] of [
    ['east-editor', 'committee/east'],
    ['west-editor', 'committee/west'],
  ]) {
    const created = await catalog
      .http()
      .post('/api/members')
      .set('Authorization', `Bearer ${admin}`)
      .send({ login, name: login, role: 'editor', orgUnitId: units[unit], password: DEMO_PASSWORD });
    expect(created.status).toBe(201);
  }
  const tokens: Record<string, string> = {};
  for (const login of logins) tokens[login] = await catalog.tokenFor(login);
  return { catalog, units, tokens };
}

