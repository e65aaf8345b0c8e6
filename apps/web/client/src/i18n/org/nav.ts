// The organisation section's own navigation; `en` (in nav.en.ts) has exactly the shape of `zh`.
export const zh = {
  label: '组织管理',
  units: '组织架构',
  members: '成员',
  import: '批量导入',
  classes: '培训班',
  transfers: '组织关系转接',
  settings: '职务与类别',
};
