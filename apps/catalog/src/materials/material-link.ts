import { createHmac } from 'node:crypto';
import { signFields, verifiedFields } from '../playback/signed-token.js';

export const MATERIAL_LINK_VARIANTS = ['read', 'download'] as const;
export type MaterialLinkVariant = (typeof MATERIAL_LINK_VARIANTS)[number];

/** Who may fetch which file of which material, until when (seconds since the epoch). */
export interface MaterialGrant {
  materialId: string;
  userId: string;
  variant: MaterialLinkVariant;
  expiresAt: number;
}

export type MaterialLinkProblem = 'forged' | 'expired' | 'wrong_material';

/**
 * The key for material links, derived from a playback key (which is derived from the service secret), so a
 * material link never passes for a media link or the other way round, and a secret rotation covers both.
 */
export function materialLinkKey(playbackKey: Buffer): Buffer {
  return createHmac('sha256', playbackKey).update('lectern material links v1').digest();
}

/** A compact signed grant that sits in the URL path (pdf.js and a plain link cannot send an Authorization header). */
export function signMaterialLink(key: Buffer, grant: MaterialGrant): string {
  return signFields(key, [grant.materialId, grant.userId, grant.variant, grant.expiresAt]);
}

/** Checks signature (against any of `keys`), material, variant and expiry. */
export function verifyMaterialLink(
  keys: readonly Buffer[],
  token: string,
  materialId: string,
  variant: MaterialLinkVariant,
  nowSec: number,
): { ok: true; grant: MaterialGrant } | { ok: false; problem: MaterialLinkProblem } {
  const fields = verifiedFields(keys, token, 4);
  if (!fields || typeof fields[3] !== 'number') return { ok: false, problem: 'forged' };
  const grant: MaterialGrant = {
    materialId: String(fields[0]),
    userId: String(fields[1]),
    variant: fields[2] === 'read' ? 'read' : 'download',
    expiresAt: fields[3],
  };
  if (grant.materialId !== materialId || fields[2] !== variant) return { ok: false, problem: 'wrong_material' };
  if (grant.expiresAt <= nowSec) return { ok: false, problem: 'expired' };
  return { ok: true, grant };
}
