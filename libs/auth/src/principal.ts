export const ROLES = ['member', 'editor', 'admin', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as carried by a verified access token. */
export interface Principal {
  userId: string;
  login: string;
  role: Role;
  orgUnitId: string;
  /** Materialized path of the caller's unit; an admin's scope is this subtree. */
  orgPath: string;
}

/** True when `path` is `scope` itself or a unit below it. */
export function isWithinScope(path: string, scope: string): boolean {
  return path === scope || path.startsWith(`${scope}/`);
}
