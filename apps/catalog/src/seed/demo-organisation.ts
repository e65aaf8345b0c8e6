/**
 * The demo organisation seeded on first start: one committee, three branches, five groups, 30 members,
 * secretaries and group leaders, and one training class.
 */
export const DEMO_PASSWORD = 'lectern-demo';

export interface DemoUnit {
  path: string;
  name: string;
  kind: 'committee' | 'branch' | 'group';
}

export const DEMO_UNITS: DemoUnit[] = [
  { path: 'committee', name: '示范委员会', kind: 'committee' },
  { path: 'committee/east', name: '东区分会', kind: 'branch' },
  { path: 'committee/east/group-1', name: '东区第一小组', kind: 'group' },
  { path: 'committee/east/group-2', name: '东区第二小组', kind: 'group' },
  { path: 'committee/west', name: '西区分会', kind: 'branch' },
  { path: 'committee/west/group-1', name: '西区第一小组', kind: 'group' },
  { path: 'committee/west/group-2', name: '西区第二小组', kind: 'group' },
  { path: 'committee/north', name: '北区分会', kind: 'branch' },
  { path: 'committee/north/village-1', name: '北区农村小组', kind: 'group' },
];

export interface DemoPerson {
  login: string;
  name: string;
  role: 'member' | 'editor' | 'admin' | 'inspector';
  unit: string;
  category: string | null;
}

const FAMILY = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['秀英', '建国', '淑珍', '志强', '桂兰', '国华', '玉梅', '文斌', '丽娟', '德明'];
const MEMBER_UNITS = [
  'committee/east/group-1',
  'committee/east/group-2',
  'committee/west/group-1',
  'committee/west/group-2',
  'committee/north/village-1',
];
const CATEGORIES = ['on-the-job', 'retired', 'on-the-job', 'mobile', 'rural', 'retired'];

export const DEMO_PEOPLE: DemoPerson[] = [
  { login: 'member', name: '王秀英', role: 'member', unit: 'committee/east/group-1', category: 'retired' },
  ...Array.from({ length: 29 }, (_, i): DemoPerson => {
    const n = i + 2;
    return {
      login: `member${String(n).padStart(2, '0')}`,
      name: `${FAMILY[n % FAMILY.length]}${GIVEN[(n * 3) % GIVEN.length]}`,
      role: 'member',
      unit: MEMBER_UNITS[n % MEMBER_UNITS.length],
      category: CATEGORIES[n % CATEGORIES.length],
    };
  }),
  { login: 'editor', name: '陈编辑', role: 'editor', unit: 'committee', category: null },
  { login: 'admin', name: '委员会管理员', role: 'admin', unit: 'committee', category: null },
  { login: 'east-admin', name: '东区管理员', role: 'admin', unit: 'committee/east', category: null },
  { login: 'inspector', name: '督查组刘组长', role: 'inspector', unit: 'committee', category: null },
];

export interface DemoPosition {
  login: string;
  unit: string;
  position: 'secretary' | 'deputy-secretary' | 'committee-member' | 'group-leader';
}

/** Each branch has a secretary; each group a leader (members of that branch or group). */
export const DEMO_POSITIONS: DemoPosition[] = [
  { login: 'member05', unit: 'committee/east', position: 'secretary' },
  { login: 'member11', unit: 'committee/east', position: 'committee-member' },
  { login: 'member07', unit: 'committee/west', position: 'secretary' },
  { login: 'member09', unit: 'committee/north', position: 'secretary' },
  { login: 'member', unit: 'committee/east/group-1', position: 'group-leader' },
  { login: 'member06', unit: 'committee/east/group-2', position: 'group-leader' },
  { login: 'member12', unit: 'committee/west/group-1', position: 'group-leader' },
  { login: 'member08', unit: 'committee/west/group-2', position: 'group-leader' },
  { login: 'member14', unit: 'committee/north/village-1', position: 'group-leader' },
];

export interface DemoClass {
  name: string;
  owner: string;
  startsOn: string;
  endsOn: string;
  logins: string[];
}

export const DEMO_CLASSES: DemoClass[] = [
  {
    name: '2027 年入党积极分子培训班',
    owner: 'committee',
    startsOn: '2027-03-01',
    endsOn: '2027-06-30',
    logins: ['member11', 'member12', 'member13', 'member14', 'member15', 'member16'],
  },
];
