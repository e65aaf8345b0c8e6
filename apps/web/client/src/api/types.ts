export type Role = 'member' | 'editor' | 'admin';

export interface OrgUnit {
  id: string;
  name: string;
  /** Slash-separated ancestry, e.g. "committee/branch-east/group-1". */
  path: string;
}

export interface User {
  id: string;
  login: string;
  name: string;
  role: Role;
  category: string | null;
  orgUnit: OrgUnit | null;
}

export interface LoginResponse {
  accessToken: string;
  user: User;
}

export interface Member {
  id: string;
  login: string;
  name: string;
  category: string | null;
  active: boolean;
  orgUnit: OrgUnit;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface MemberCategory {
  code: string;
  nameZh: string;
  nameEn: string;
}
