import { z } from 'zod';
import { TRANSFER_STATUSES } from '#contracts';

const IsoDate = z.iso.date('must be a date as YYYY-MM-DD');
// eslint-disable-next-line no-control-regex -- NUL is what must be refused
const noNul = (value: string) => !/\u0000/.test(value);
const Text = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).refine(noNul, 'must not contain NUL characters');

export const CreateTransferSchema = z.object({
  userId: z.uuid('must be the id of a member'),
  toUnitId: z.uuid('must be the id of a unit'),
  effectiveOn: IsoDate,
  reason: Text(500).default(''),
});
export type CreateTransferInput = z.infer<typeof CreateTransferSchema>;

export const AcceptTransferSchema = z.object({ note: Text(500).default('') });
export type AcceptTransferInput = z.infer<typeof AcceptTransferSchema>;

export const RejectTransferSchema = z.object({ note: Text(500).pipe(z.string().min(1, 'must say why the transfer is refused')) });
export type RejectTransferInput = z.infer<typeof RejectTransferSchema>;

export const ListTransfersQuerySchema = z.object({
  direction: z.enum(['incoming', 'outgoing', 'all'], 'must be incoming, outgoing or all').default('all'),
  /** One status, or `decided`: every transfer no longer waiting. */
  status: z.enum([...TRANSFER_STATUSES, 'decided'], 'must be done, pending, rejected, cancelled or decided').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListTransfersQuery = z.infer<typeof ListTransfersQuerySchema>;

export const DestinationsQuerySchema = z.object({
  q: Text(100).default(''),
  /** `inside`: units of the caller's own subtree; `all`: the whole organisation's directory. */
  scope: z.enum(['inside', 'all'], 'must be inside or all').default('all'),
});
export type DestinationsQuery = z.infer<typeof DestinationsQuerySchema>;
