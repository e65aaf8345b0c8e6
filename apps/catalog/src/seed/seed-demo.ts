import type { DataSource } from 'typeorm';
import { hashPassword } from '../accounts/passwords.js';
import { DEMO_CLASSES, DEMO_PASSWORD, DEMO_PEOPLE, DEMO_POSITIONS, DEMO_UNITS } from './demo-organisation.js';

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
    const people = new Map<string, string>();
    for (const person of DEMO_PEOPLE) {
      const [row] = await tx.query(
        `INSERT INTO users (login, name, password_hash, role, org_unit_id, category) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [person.login, person.name, hash, person.role, ids.get(person.unit), person.category],
      );
      people.set(person.login, row.id);
    }
    for (const held of DEMO_POSITIONS) {
      await tx.query(`INSERT INTO member_positions (user_id, org_unit_id, position_code) VALUES ($1, $2, $3)`, [
        people.get(held.login),
        ids.get(held.unit),
        held.position,
      ]);
    }
    for (const demoClass of DEMO_CLASSES) {
      const [row] = await tx.query(
        `INSERT INTO training_classes (name, owner_unit_id, starts_on, ends_on) VALUES ($1, $2, $3, $4) RETURNING id`,
        [demoClass.name, ids.get(demoClass.owner), demoClass.startsOn, demoClass.endsOn],
      );
      await tx.query(`INSERT INTO training_class_members (class_id, user_id) SELECT $1, unnest($2::uuid[])`, [
        row.id,
        demoClass.logins.map((login) => people.get(login)),
      ]);
    }
    return true;
  });
}
