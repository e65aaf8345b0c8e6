import { describe, expect, it } from '@jest/globals';
import { cookieValue, issueTicket, ticketCookie, ticketHolder, ticketKey } from './queue-board-ticket.js';

const key = ticketKey('x'.repeat(32));
const user = '5b0e6a52-6f55-4d5c-9d77-0f1b1f9e2a11';
const now = 1_790_000_000_000;

describe('queue board tickets', () => {
  it.each([
    ['a fresh ticket', issueTicket(key, user, now), now + 1000, user],
    ['an expired ticket', issueTicket(key, user, now, 60), now + 60_000, null],
    ['a ticket of another key', issueTicket(ticketKey('y'.repeat(32)), user, now), now, null],
    ['a ticket whose account was changed', issueTicket(key, user, now).replace(user, user.replace('5b', '6b')), now, null],
    ['a ticket whose expiry was pushed out', issueTicket(key, user, now).replace(/\.(\d+)\./, (_, e) => `.${Number(e) + 9e6}.`), now, null],
    ['nothing', undefined, now, null],
    ['an access token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', now, null],
  ])('%s', (_name, ticket, at, holder) => {
    expect(ticketHolder(key, ticket, at)).toBe(holder);
  });

  it('is carried by an HttpOnly, SameSite=Strict cookie of the board path, Secure over TLS', () => {
    expect(ticketCookie('t', true)).toBe('lectern_queue_board=t; Path=/api/admin/queues; Max-Age=1800; HttpOnly; SameSite=Strict; Secure');
    expect(ticketCookie('t', false)).not.toContain('Secure');
  });

  it.each([
    ['a=1; lectern_queue_board=abc; b=2', 'abc'],
    ['lectern_queue_board=abc', 'abc'],
    ['xlectern_queue_board=abc', undefined],
    [undefined, undefined],
  ])('reads the ticket from %s', (header, value) => {
    expect(cookieValue(header, 'lectern_queue_board')).toBe(value);
  });
});
