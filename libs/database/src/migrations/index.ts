import { AccountsAndOrgTree1732000000000 } from './1732000000000-accounts-and-org-tree.js';

/** Every migration in order; listed explicitly so compiled and test builds load the same set. */
export const migrations = [AccountsAndOrgTree1732000000000];
