import type { Messages } from './zh-CN.js';

const en: Messages = {
  app: {
    name: 'Lectern',
    tagline: 'Distance-learning video platform',
    skipToContent: 'Skip to main content',
    loading: 'Loading…',
  },
  language: {
    label: 'Language',
  },
  login: {
    title: 'Sign in',
    intro: 'Please enter your username and password.',
    username: 'Username',
    password: 'Password',
    showPassword: 'Show password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    missingFields: 'Please enter both your username and your password.',
    badCredentials: 'Wrong username or password. Please try again.',
  },
  errors: {
    network: 'Cannot reach the server. Please check your connection and try again.',
    server: 'The server has a problem right now. Please try again later.',
    tooManyRequests: 'Too many attempts. Please wait a few minutes and try again.',
    invalid: 'Some of the information is not valid. Please check it and try again.',
    forbidden: 'You do not have permission to view this page.',
    sessionExpired: 'Your session has expired. Please sign in again.',
  },
  shell: {
    mainNav: 'Main navigation',
    userInfo: 'Signed-in user',
    role: 'Role',
    unit: 'Unit',
    noUnit: 'No unit assigned',
    logout: 'Sign out',
  },
  roles: {
    member: 'Member',
    editor: 'Editor',
    admin: 'Administrator',
  },
  nav: {
    study: 'My study',
    courses: 'Courses',
    studio: 'Studio',
    organisation: 'Organisation',
    reports: 'Reports',
  },
  pages: {
    comingSoon: 'This feature is coming soon.',
    notFound: 'This page does not exist.',
    backHome: 'Back to the start page',
  },
  study: {
    title: 'My study',
  },
  courses: {
    title: 'Courses',
  },
  studio: {
    title: 'Studio',
  },
  reports: {
    title: 'Reports',
  },
  organisation: {
    title: 'Organisation',
    searchLabel: 'Search members (name or username)',
    search: 'Search',
    caption: 'Members of your unit and the units below it',
    total: '{{total}} in total, showing {{from}}–{{to}}',
    empty: 'No members found.',
    name: 'Name',
    login: 'Username',
    unitPath: 'Unit path',
    category: 'Category',
    active: 'Status',
    isActive: 'Active',
    isInactive: 'Deactivated',
    noCategory: '—',
    previous: 'Previous page',
    next: 'Next page',
    pagination: 'Pages',
  },
};

export default en;
