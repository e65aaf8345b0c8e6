import type { DataSource } from 'typeorm';
import { hashPassword } from '../accounts/passwords.js';
import { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_UNITS } from './demo-organisation.js';

/** Seeds the demo organisation into an empty database; returns false and changes nothing if any unit exists. */
export async function seedDemo(db: DataSource): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [{ count }] = await tx.query(`SELECT count(*)::int AS count FROM org_units`);
    if (count > 0) return false;
    const ids = new Map<string, string>();
    for (const unit of DEMO_UNITS) {
      const slash = unit.path.lastIndexOf('/');
      const parentId = slash < 0 ? null : ids.get(unit.path.slice(0, slash));
      const [row] = await tx.query(
        `INSERT INTO org_units (parent_id, slug, name, kind, path, depth) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [parentId, unit.path.slice(slash + 1), unit.name, unit.kind, unit.path, unit.path.split('/').length - 1],
      );
      ids.set(unit.path, row.id);
    }
    const hash = await hashPassword(DEMO_PASSWORD);
    for (const person of DEMO_PEOPLE) {
      await tx.query(`INSERT INTO users (login, name, password_hash, role, org_unit_id, category) VALUES ($1, $2, $3, $4, $5, $6)`, [
        person.login,
        person.name,
        hash,
        person.role,
        ids.get(person.unit),
        person.category,
      ]);
    }
    return true;
  });
}
