// The memberShell namespace; `en` (in shell.en.ts) has exactly the shape of `zh`.
export const zh = {
  textSize: {
    label: '字号',
    standard: '标准',
    large: '大',
    extraLarge: '特大',
  },
  rolePage: {
    title: '此页面不对您的账号开放',
    editors: '此页面供编辑使用。如需上传讲座，请联系您所在支部的书记或管理员。',
    admins: '此页面供管理员使用。如需修改单位、成员或学习计划，请联系您所在支部的书记或管理员。',
    readers: '此页面供管理员和督查员查看学习统计。如需了解学习情况，请联系您所在支部的书记或管理员。',
    learners: '此页面供学员学习课程使用。您的账号用于管理，不能在这里学习；如需学习，请用学员账号登录。',
    graders: '此页面供编辑和管理员阅卷使用。如需了解考试成绩，请查看“考试”页面。',
    yourUnit: '您所在的单位：{{unit}}',
    goHome: '前往{{page}}',
  },
  notFound: {
    hint: '请检查网址是否完整。如果是别人发给您的链接，可以请对方重新发送。',
  },
};
