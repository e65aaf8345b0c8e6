// Source of truth for message keys; en.ts must have exactly the same shape.
const zhCN = {
  app: {
    name: 'Lectern',
    tagline: '远程教育视频学习平台',
    skipToContent: '跳到主要内容',
    loading: '正在加载…',
  },
  language: {
    label: '语言',
  },
  login: {
    title: '登录',
    intro: '请输入您的用户名和密码。',
    username: '用户名',
    password: '密码',
    showPassword: '显示密码',
    submit: '登录',
    submitting: '正在登录…',
    missingFields: '请填写用户名和密码。',
    badCredentials: '用户名或密码不正确，请重新输入。',
  },
  errors: {
    network: '无法连接到服务器，请检查网络后重试。',
    server: '服务器暂时出现问题，请稍后再试。',
    tooManyRequests: '尝试次数过多，请稍等几分钟再试。',
    invalid: '填写的内容有误，请检查后重试。',
    forbidden: '您没有权限查看此页面。',
    sessionExpired: '登录已过期，请重新登录。',
  },
  shell: {
    mainNav: '主导航',
    userInfo: '当前用户',
    role: '角色',
    unit: '所属单位',
    noUnit: '未分配单位',
    logout: '退出登录',
  },
  roles: {
    member: '学员',
    editor: '编辑',
    admin: '管理员',
  },
  nav: {
    study: '我的学习',
    courses: '课程',
    studio: '编辑工作室',
    organisation: '组织与成员',
    reports: '统计报表',
  },
  pages: {
    comingSoon: '此功能即将推出。',
    notFound: '找不到这个页面。',
    backHome: '返回首页',
  },
  study: {
    title: '我的学习',
  },
  courses: {
    title: '课程',
  },
  studio: {
    title: '编辑工作室',
  },
  reports: {
    title: '统计报表',
  },
  organisation: {
    title: '组织与成员',
    searchLabel: '搜索成员（姓名或用户名）',
    search: '搜索',
    caption: '本单位及下级单位的成员',
    total: '共 {{total}} 人，当前显示第 {{from}}–{{to}} 人',
    empty: '没有找到成员。',
    name: '姓名',
    login: '用户名',
    unitPath: '单位路径',
    category: '类别',
    active: '状态',
    isActive: '在用',
    isInactive: '已停用',
    noCategory: '—',
    previous: '上一页',
    next: '下一页',
    pagination: '分页',
  },
};

export type Messages = typeof zhCN;
export default zhCN;
