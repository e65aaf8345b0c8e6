import type { Problem } from './member-csv.js';

type Params = Record<string, string | number>;
const p = (params: Params | undefined, key: string) => String(params?.[key] ?? '');

const EN: Record<Problem['code'], (params?: Params) => string> = {
  'name-missing': () => 'the name is empty: fill in the person’s name',
  'name-too-long': () => 'the name is longer than 100 characters',
  'login-missing': () => 'the login is empty: give each person a login name',
  'login-format': (v) =>
    `the login "${p(v, 'login')}" is not allowed: use 2-64 letters, digits, ".", "-" or "_", starting with a letter or digit`,
  'login-duplicate': (v) => `the login "${p(v, 'login')}" already appears on row ${p(v, 'line')}: each login once per file`,
  'active-bad': (v) => `the status "${p(v, 'value')}" is not understood: write 在册/active or 停用/inactive, or leave it blank`,
  'unit-missing': () => 'the unit is empty: give the unit’s path (e.g. committee/east/group-1) or its name',
  'unit-unknown': (v) => `there is no unit "${p(v, 'unit')}" in your organisation: check the path (e.g. ${p(v, 'example')}) or the name`,
  'unit-outside': (v) => `the unit "${p(v, 'unit')}" is outside your organisation: you can only import into your own units`,
  'unit-ambiguous': (v) => `${p(v, 'count')} units are named "${p(v, 'unit')}": give the unit’s path instead`,
  'category-unknown': (v) => `the category "${p(v, 'category')}" is unknown: use one of ${p(v, 'known')}`,
  'login-foreign': (v) => `the login "${p(v, 'login')}" belongs to someone outside your organisation: choose another login`,
  'login-not-member': (v) => `the login "${p(v, 'login')}" is an ${p(v, 'role')} account: change it on its own page`,
  'unit-differs': (v) =>
    `"${p(v, 'login')}" is in ${p(v, 'current')}, not ${p(v, 'unit')}: an import does not move people, use a transfer (or put their current unit in the file)`,
  changed: () => 'this person was changed after the preview: upload the file again',
};

const ZH: Record<Problem['code'], (params?: Params) => string> = {
  'name-missing': () => '姓名为空：请填写姓名',
  'name-too-long': () => '姓名超过 100 个字',
  'login-missing': () => '登录名为空：每人都要有登录名',
  'login-format': (v) => `登录名“${p(v, 'login')}”不合格式：只能用 2-64 个字母、数字、“.”“-”“_”，以字母或数字开头`,
  'login-duplicate': (v) => `登录名“${p(v, 'login')}”在第 ${p(v, 'line')} 行已出现：同一文件中每个登录名只能出现一次`,
  'active-bad': (v) => `状态“${p(v, 'value')}”无法识别：请填“在册”或“停用”，或留空`,
  'unit-missing': () => '单位为空：请填写单位路径（如 committee/east/group-1）或单位名称',
  'unit-unknown': (v) => `本组织没有单位“${p(v, 'unit')}”：请核对路径（如 ${p(v, 'example')}）或名称`,
  'unit-outside': (v) => `单位“${p(v, 'unit')}”不在您管理的范围内：只能导入到本单位及下级单位`,
  'unit-ambiguous': (v) => `有 ${p(v, 'count')} 个单位名为“${p(v, 'unit')}”：请改填单位路径`,
  'category-unknown': (v) => `类别“${p(v, 'category')}”不存在：请使用 ${p(v, 'known')}`,
  'login-foreign': (v) => `登录名“${p(v, 'login')}”已被本组织以外的人使用：请换一个登录名`,
  'login-not-member': (v) => `登录名“${p(v, 'login')}”是${p(v, 'roleZh')}账号：请在该账号页面修改`,
  'unit-differs': (v) =>
    `“${p(v, 'login')}”现属 ${p(v, 'current')}，而非 ${p(v, 'unit')}：导入不会调动人员，请办理转接（或在文件中填写其现单位）`,
  changed: () => '预览之后此人信息已被修改：请重新上传文件',
};

const ROLE_ZH: Record<string, string> = { admin: '管理员', editor: '编辑', inspector: '督查员', member: '学员' };

/** A row's problems as one sentence in each language, the way the page and the rejected-rows file show them. */
export function describeProblems(problems: Problem[]): { reason: string; reasonZh: string } {
  const zhParams = (params?: Params) =>
    params?.role ? { ...params, roleZh: ROLE_ZH[String(params.role)] ?? String(params.role) } : params;
  return {
    reason: problems.map((problem) => EN[problem.code](problem.params)).join('; '),
    reasonZh: problems.map((problem) => ZH[problem.code](zhParams(problem.params))).join('；'),
  };
}
