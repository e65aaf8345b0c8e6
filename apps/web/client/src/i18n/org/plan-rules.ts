// The plan-rules namespace: how a plan counts study (kinds, daily limit, conversion, check-ins) and how My study explains it.
// `en` has exactly the shape of `zh`.
export const zh = {
  title: '学时计算规则',
};

export const en: typeof zh = {
  title: 'How study hours count',
};
