// Strings of the console's shell (app.js): login, top bar, roles,
// navigation, the page that does not exist. zh-CN first, English second.
// The widgets' strings are in ui-i18n.js, each view's in views/<name>-i18n.js.
import { addMessages } from './lib/i18n.js';

addMessages('zh-CN', {
  'app.tagline': '心访工作室排班与活动管理',
  'app.noscript': '请启用 JavaScript 以使用 Hearth 控制台。',

  'login.title': '登录控制台',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.error.invalid': '用户名或密码错误',
  'login.error.rateLimited': '登录失败次数过多，请稍后再试',
  'login.error.rateLimitedFor': '登录失败次数过多，请 {minutes} 分钟后再试',
  'login.error.required': '请输入用户名和密码',
  'login.error.network': '无法连接服务器，请检查网络后重试',
  'login.error.other': '登录失败：{message}',
  'login.sessionExpired': '登录已过期，请重新登录',

  'header.user': '当前用户',
  'header.logout': '退出登录',
  'role.coordinator': '协调员',
  'role.counsellor': '咨询师',

  'nav.label': '主导航',

  'view.notFound': '页面不存在',
  'view.notFoundText': '没有找到该页面，请从左侧导航进入。',
});

addMessages('en', {
  'app.tagline': 'Rosters and activities for counselling studios',
  'app.noscript': 'Please enable JavaScript to use the Hearth console.',

  'login.title': 'Sign in to the console',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.error.invalid': 'Wrong username or password',
  'login.error.rateLimited': 'Too many failed sign-ins. Please try again later',
  'login.error.rateLimitedFor': 'Too many failed sign-ins. Please try again in {minutes} min',
  'login.error.required': 'Enter your username and password',
  'login.error.network': 'Cannot reach the server. Check the network and try again',
  'login.error.other': 'Sign-in failed: {message}',
  'login.sessionExpired': 'Your session has expired. Please sign in again',

  'header.user': 'Signed in as',
  'header.logout': 'Sign out',
  'role.coordinator': 'Coordinator',
  'role.counsellor': 'Counsellor',

  'nav.label': 'Main navigation',

  'view.notFound': 'Page not found',
  'view.notFoundText': 'This page does not exist. Use the navigation on the left.',
});
