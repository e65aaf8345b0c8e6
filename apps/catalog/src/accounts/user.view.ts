import type { Role } from '#auth';
import type { User } from './user.entity.js';

/** What the API says about a person; never the password hash. */
export interface UserView {
  id: string;
  login: string;
  name: string;
  role: Role;
  category: string | null;
  active: boolean;
  /** The password was reset and its holder has not chosen a new one yet. */
  mustChangePassword: boolean;
  orgUnit: { id: string; name: string; path: string } | null;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    login: user.login,
    name: user.name,
    role: user.role,
    category: user.category,
    active: user.active,
    mustChangePassword: user.mustChangePassword,
    orgUnit: user.orgUnit ? { id: user.orgUnit.id, name: user.orgUnit.name, path: user.orgUnit.path } : null,
  };
}
