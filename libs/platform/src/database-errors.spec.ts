import { describe, expect, it } from '@jest/globals';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { clientErrorOf } from './exception-filter.js';
import { describeDatabaseError, humanName, isConcurrencyConflict } from './database-errors.js';

/** A pg DatabaseError's fields as TypeORM wraps them. */
const failed = (fields: Record<string, string>) =>
  new QueryFailedError('INSERT INTO secret_table (x) VALUES ($1)', ['secret value'], Object.assign(new Error('raw pg message'), fields));

describe('describeDatabaseError', () => {
  it.each([
    [
      'unique',
      { code: '23505', detail: 'Key (login)=(alice) already exists.', constraint: 'users_login_key' },
      409,
      /already has this login/,
    ],
    ['unique, two columns', { code: '23505', detail: 'Key (org_unit_id, slug)=(1, x) already exists.' }, 409, /org unit and slug/],
    ['unique, no detail', { code: '23505' }, 409, /already exists/],
    [
      'foreign key, missing on insert',
      { code: '23503', detail: 'Key (course_id)=(9) is not present in table "courses".' },
      400,
      /course you referred to does not exist/,
    ],
    [
      'foreign key, still referenced',
      { code: '23503', detail: 'Key (id)=(9) is still referenced from table "lectures".' },
      409,
      /still in use/,
    ],
    ['check', { code: '23514', constraint: 'study_plans_hours_check' }, 400, /outside what is allowed \(study plans hours\)/],
    ['not null', { code: '23502', column: 'category_id' }, 400, /category is missing/],
    ['numeric out of range', { code: '22003' }, 400, /too large or too small/],
    ['invalid text representation', { code: '22P02' }, 400, /wrong format/],
    ['string too long', { code: '22001' }, 400, /too long/],
    ['NUL byte in text', { code: '22021' }, 400, /cannot be stored/],
    ['datetime out of range', { code: '22008' }, 400, /date or time/],
    ['exclusion', { code: '23P01' }, 409, /overlaps/],
    ['serialization failure', { code: '40001' }, 409, /Try again/],
    ['deadlock', { code: '40P01' }, 409, /Try again/],
  ])('maps %s', (_label, fields, status, message) => {
    const mapped = describeDatabaseError(failed(fields));
    expect(mapped?.status).toBe(status);
    expect(mapped?.message).toMatch(message);
    // Neither the statement, its parameters, the table nor the values reach the client.
    expect(mapped?.message).not.toMatch(/INSERT|secret|alice|raw pg|courses"|\(9\)/);
  });

  it('reads an unwrapped pg error too', () => {
    expect(describeDatabaseError(Object.assign(new Error('x'), { code: '23505' }))?.status).toBe(409);
  });

  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['undefined column (a bug)', failed({ code: '42703' })],
    ['syntax error (a bug)', failed({ code: '42601' })],
    ['too many connections', failed({ code: '53300' })],
    ['plain error', new Error('boom')],
    ['a string', 'boom'],
    ['null', null],
  ])('leaves %s to be a server error', (_label, error) => {
    expect(describeDatabaseError(error)).toBeNull();
  });

  it('answers a missing entity with 404', () => {
    expect(clientErrorOf(new EntityNotFoundError('User', { id: 'x' }))).toEqual({ status: 404, message: 'Not found.' });
  });

  it.each([
    ['course_id', 'course'],
    ['org_unit_id', 'org unit'],
    ['passwordHash', 'password hash'],
    ['title', 'title'],
  ])('names %s as %s', (name, human) => expect(humanName(name)).toBe(human));
});

describe('isConcurrencyConflict', () => {
  it.each([
    ['a deadlock from pg', Object.assign(new Error('deadlock detected'), { code: '40P01' }), true],
    ['a serialization failure wrapped by TypeORM', failed({ code: '40001' }), true],
    ['a deadlock wrapped by TypeORM', failed({ code: '40P01' }), true],
    ['a unique violation', failed({ code: '23505' }), false],
    ['a lost connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), false],
    ['no error at all', undefined, false],
  ])('%s: %s', (_name, error, expected) => {
    expect(isConcurrencyConflict(error)).toBe(expected);
  });
});
