// Hearth console strings. zh-CN first, English second.
// Every visible string of the console goes through t(key, params).
// Later views add their own strings with addMessages(lang, {key: text}).

const STORE_KEY = 'hearth.lang';
export const DEFAULT_LANG = 'zh-CN';

// The labels of the language switch are shown in their own language.
export const LANGS = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
];

const messages = {
  'zh-CN': {
    'app.name': 'Hearth 心访排班',
    'app.tagline': '心访工作室排班与活动管理',
    'app.noscript': '请启用 JavaScript 以使用 Hearth 控制台。',
    'lang.switch': '语言',

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
    'nav.overview': '总览',
    'nav.stations': '驻点',
    'nav.counsellors': '咨询师',

    'common.loading': '加载中…',
    'common.empty': '暂无数据',
    'common.emptyFiltered': '没有符合条件的记录',
    'common.loadFailed': '加载失败：{message}',
    'common.retry': '重试',
    'common.save': '保存',
    'common.saving': '正在保存…',
    'common.cancel': '取消',
    'common.close': '关闭',
    'common.confirm': '确定',
    'common.edit': '编辑',
    'common.deactivate': '停用',
    'common.activate': '启用',
    'common.actions': '操作',
    'common.status': '状态',
    'common.active': '启用',
    'common.inactive': '停用',
    'common.search': '搜索',
    'common.filterStatus': '状态筛选',
    'common.filter.all': '全部状态',
    'common.filter.active': '仅启用',
    'common.filter.inactive': '仅停用',
    'common.prev': '上一页',
    'common.next': '下一页',
    'common.pageInfo': '共 {total} 条 · 第 {page} / {pages} 页',
    'common.saved': '已保存',
    'common.none': '（无）',
    'common.choose': '请选择…',
    'common.required': '此项必填',
    'common.tooLong': '内容过长',
    'common.invalid': '格式不正确',
    'common.copy': '复制',
    'common.copied': '已复制',
    'common.copyFailed': '复制失败，请手动选择并复制',
    'common.dismiss': '关闭提示',

    'error.network': '无法连接服务器',
    'error.unauthorized': '请先登录',
    'error.forbidden': '没有权限执行此操作',
    'error.notFound': '记录不存在或已被删除',
    'error.conflict': '与现有记录冲突',
    'error.tooLarge': '提交的内容过大',
    'error.validation': '提交的内容有误，请检查',
    'error.rateLimited': '请求过于频繁，请稍后再试',
    'error.server': '服务器出错，请稍后再试',
    'error.unavailable': '服务暂时不可用，请稍后再试',
    'error.generic': '操作失败',
    'error.detail': '（{message}）',

    'view.notFound': '页面不存在',
    'view.notFoundText': '没有找到该页面，请从左侧导航进入。',

    'overview.title': '总览',
    'overview.activeStations': '启用驻点',
    'overview.activeCounsellors': '启用咨询师',
    'overview.unit.stations': '个',
    'overview.unit.counsellors': '人',
    'overview.chartTitle': '各驻点咨询师人数',
    'overview.chartHint': '按常驻驻点统计启用状态的咨询师',
    'overview.chartSeries': '咨询师人数',
    'overview.unassigned': '未指定驻点',
    'overview.chartUnavailable': '图表库未加载，无法显示图表',
    'overview.manageStations': '管理驻点',
    'overview.manageCounsellors': '管理咨询师',

    'stations.title': '驻点',
    'stations.add': '新增驻点',
    'stations.edit': '编辑驻点',
    'stations.searchPlaceholder': '按代码或名称搜索',
    'stations.code': '驻点代码',
    'stations.name': '名称',
    'stations.kind': '类型',
    'stations.address': '地址',
    'stations.timezone': '时区',
    'stations.kind.hall': '大厅',
    'stations.kind.street': '街道',
    'stations.kind.service_point': '服务点',
    'stations.codeHint': '1–32 位字母、数字、下划线或连字符，例如 FT-01',
    'stations.timezoneHint': 'IANA 时区，默认 Asia/Shanghai',
    'stations.error.codeTaken': '驻点代码已存在',
    'stations.error.code': '代码须为 1–32 位字母、数字、下划线或连字符',
    'stations.error.name': '名称须为 1–100 个字符',
    'stations.error.kind': '请选择驻点类型',
    'stations.error.address': '地址最多 200 个字符',
    'stations.error.timezone': '未知的时区，例如 Asia/Shanghai',
    'stations.confirmDeactivate': '确定停用驻点“{name}”吗？停用后历史记录仍会保留，可随时重新启用。',
    'stations.deactivated': '驻点“{name}”已停用',
    'stations.activated': '驻点“{name}”已启用',
    'stations.created': '已新增驻点“{name}”',
    'stations.empty': '暂无数据。点击“新增驻点”添加第一个驻点。',

    'counsellors.title': '咨询师',
    'counsellors.add': '新增咨询师',
    'counsellors.edit': '编辑咨询师',
    'counsellors.searchPlaceholder': '按姓名、邮箱搜索',
    'counsellors.name': '姓名',
    'counsellors.email': '邮箱',
    'counsellors.phone': '电话',
    'counsellors.homeStation': '常驻驻点',
    'counsellors.maxWeeklyHours': '每周最多工时',
    'counsellors.weeklyMail': '每周一 8:00 邮件发送本周值班安排',
    'counsellors.hoursUnit': '{hours} 小时',
    'counsellors.allStations': '全部驻点',
    'counsellors.stationFilter': '驻点筛选',
    'counsellors.noStation': '（未指定）',
    'counsellors.inactiveStation': '{name}（已停用）',
    'counsellors.feedUrl': '订阅链接',
    'counsellors.feedUrlHint': '咨询师在日历应用中订阅此链接即可查看自己的班表',
    'counsellors.rotate': '重置订阅链接',
    'counsellors.confirmRotate': '确定重置“{name}”的订阅链接吗？旧链接将立即失效，需要把新链接发给该咨询师。',
    'counsellors.rotated': '新的订阅链接',
    'counsellors.rotatedText': '“{name}”的订阅链接已重置。请复制新链接并发给咨询师：',
    'counsellors.error.name': '姓名须为 1–50 个字符',
    'counsellors.error.email': '请输入有效的邮箱地址',
    'counsellors.error.phone': '电话只能包含数字、+ - ( ) 和空格，最多 32 位',
    'counsellors.error.home_station_id': '请选择有效的驻点',
    'counsellors.error.max_weekly_hours': '请输入 0–80 之间的整数',
    'counsellors.error.conflict': '该咨询师信息与现有记录冲突',
    'counsellors.confirmDeactivate': '确定停用咨询师“{name}”吗？停用后不再参与排班，可随时重新启用。',
    'counsellors.deactivated': '咨询师“{name}”已停用',
    'counsellors.activated': '咨询师“{name}”已启用',
    'counsellors.created': '已新增咨询师“{name}”',
    'counsellors.empty': '暂无数据。点击“新增咨询师”添加。',
  },

  en: {
    'app.name': 'Hearth Studio Scheduling',
    'app.tagline': 'Rosters and activities for counselling studios',
    'app.noscript': 'Please enable JavaScript to use the Hearth console.',
    'lang.switch': 'Language',

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
    'nav.overview': 'Overview',
    'nav.stations': 'Stations',
    'nav.counsellors': 'Counsellors',

    'common.loading': 'Loading…',
    'common.empty': 'No data',
    'common.emptyFiltered': 'No records match the filter',
    'common.loadFailed': 'Could not load: {message}',
    'common.retry': 'Retry',
    'common.save': 'Save',
    'common.saving': 'Saving…',
    'common.cancel': 'Cancel',
    'common.close': 'Close',
    'common.confirm': 'OK',
    'common.edit': 'Edit',
    'common.deactivate': 'Deactivate',
    'common.activate': 'Activate',
    'common.actions': 'Actions',
    'common.status': 'Status',
    'common.active': 'Active',
    'common.inactive': 'Inactive',
    'common.search': 'Search',
    'common.filterStatus': 'Status filter',
    'common.filter.all': 'All statuses',
    'common.filter.active': 'Active only',
    'common.filter.inactive': 'Inactive only',
    'common.prev': 'Previous',
    'common.next': 'Next',
    'common.pageInfo': '{total} records · page {page} of {pages}',
    'common.saved': 'Saved',
    'common.none': '(none)',
    'common.choose': 'Choose…',
    'common.required': 'Required',
    'common.tooLong': 'Too long',
    'common.invalid': 'Invalid format',
    'common.copy': 'Copy',
    'common.copied': 'Copied',
    'common.copyFailed': 'Copy failed; select the text and copy it by hand',
    'common.dismiss': 'Dismiss',

    'error.network': 'Cannot reach the server',
    'error.unauthorized': 'Please sign in',
    'error.forbidden': 'You are not allowed to do this',
    'error.notFound': 'The record does not exist or was removed',
    'error.conflict': 'Conflicts with an existing record',
    'error.tooLarge': 'The submission is too large',
    'error.validation': 'Please check the form',
    'error.rateLimited': 'Too many requests; please try again later',
    'error.server': 'Server error; please try again later',
    'error.unavailable': 'Service temporarily unavailable; please try again later',
    'error.generic': 'The operation failed',
    'error.detail': ' ({message})',

    'view.notFound': 'Page not found',
    'view.notFoundText': 'This page does not exist. Use the navigation on the left.',

    'overview.title': 'Overview',
    'overview.activeStations': 'Active stations',
    'overview.activeCounsellors': 'Active counsellors',
    'overview.unit.stations': '',
    'overview.unit.counsellors': '',
    'overview.chartTitle': 'Counsellors per station',
    'overview.chartHint': 'Active counsellors by home station',
    'overview.chartSeries': 'Counsellors',
    'overview.unassigned': 'No home station',
    'overview.chartUnavailable': 'The chart library did not load',
    'overview.manageStations': 'Manage stations',
    'overview.manageCounsellors': 'Manage counsellors',

    'stations.title': 'Stations',
    'stations.add': 'Add station',
    'stations.edit': 'Edit station',
    'stations.searchPlaceholder': 'Search by code or name',
    'stations.code': 'Code',
    'stations.name': 'Name',
    'stations.kind': 'Kind',
    'stations.address': 'Address',
    'stations.timezone': 'Time zone',
    'stations.kind.hall': 'Reception hall',
    'stations.kind.street': 'Street office',
    'stations.kind.service_point': 'Service point',
    'stations.codeHint': '1–32 letters, digits, _ or -, e.g. FT-01',
    'stations.timezoneHint': 'IANA time zone; default Asia/Shanghai',
    'stations.error.codeTaken': 'This station code already exists',
    'stations.error.code': 'Use 1–32 letters, digits, _ or -',
    'stations.error.name': 'Name must be 1–100 characters',
    'stations.error.kind': 'Choose a station kind',
    'stations.error.address': 'Address is at most 200 characters',
    'stations.error.timezone': 'Unknown time zone, e.g. Asia/Shanghai',
    'stations.confirmDeactivate': 'Deactivate station “{name}”? Its history is kept and it can be activated again at any time.',
    'stations.deactivated': 'Station “{name}” deactivated',
    'stations.activated': 'Station “{name}” activated',
    'stations.created': 'Station “{name}” added',
    'stations.empty': 'No data. Click “Add station” to add the first one.',

    'counsellors.title': 'Counsellors',
    'counsellors.add': 'Add counsellor',
    'counsellors.edit': 'Edit counsellor',
    'counsellors.searchPlaceholder': 'Search by name or e-mail',
    'counsellors.name': 'Name',
    'counsellors.email': 'E-mail',
    'counsellors.phone': 'Phone',
    'counsellors.homeStation': 'Home station',
    'counsellors.maxWeeklyHours': 'Max weekly hours',
    'counsellors.weeklyMail': 'E-mail the week\'s duty on Mondays at 8:00',
    'counsellors.hoursUnit': '{hours} h',
    'counsellors.allStations': 'All stations',
    'counsellors.stationFilter': 'Station filter',
    'counsellors.noStation': '(none)',
    'counsellors.inactiveStation': '{name} (inactive)',
    'counsellors.feedUrl': 'Calendar feed URL',
    'counsellors.feedUrlHint': 'The counsellor subscribes to this URL in a calendar app to see their roster',
    'counsellors.rotate': 'Reset feed link',
    'counsellors.confirmRotate': 'Reset the feed link of “{name}”? The old link stops working at once; send the new one to the counsellor.',
    'counsellors.rotated': 'New feed link',
    'counsellors.rotatedText': 'The feed link of “{name}” was reset. Copy the new link and send it to the counsellor:',
    'counsellors.error.name': 'Name must be 1–50 characters',
    'counsellors.error.email': 'Enter a valid e-mail address',
    'counsellors.error.phone': 'Digits, + - ( ) and spaces only, at most 32',
    'counsellors.error.home_station_id': 'Choose a valid station',
    'counsellors.error.max_weekly_hours': 'Enter a whole number from 0 to 80',
    'counsellors.error.conflict': 'Conflicts with an existing counsellor',
    'counsellors.confirmDeactivate': 'Deactivate counsellor “{name}”? They are no longer rostered and can be activated again at any time.',
    'counsellors.deactivated': 'Counsellor “{name}” deactivated',
    'counsellors.activated': 'Counsellor “{name}” activated',
    'counsellors.created': 'Counsellor “{name}” added',
    'counsellors.empty': 'No data. Click “Add counsellor” to add one.',
  },
};

function loadLang() {
  let stored = null;
  try { stored = window.localStorage.getItem(STORE_KEY); } catch { /* storage blocked */ }
  return LANGS.some((l) => l.code === stored) ? stored : DEFAULT_LANG;
}

let current = loadLang();
const listeners = new Set();

export function getLang() { return current; }

export function setLang(code) {
  if (!LANGS.some((l) => l.code === code) || code === current) return;
  current = code;
  try { window.localStorage.setItem(STORE_KEY, code); } catch { /* storage blocked */ }
  document.documentElement.lang = code;
  for (const fn of listeners) fn(code);
}

// Calls fn(lang) after every language change; returns an unsubscribe function.
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Adds or overrides strings for one language (for views added later).
export function addMessages(code, dict) {
  messages[code] = Object.assign(messages[code] || {}, dict);
}

export function has(key) {
  return key in (messages[current] || {}) || key in messages[DEFAULT_LANG];
}

// t('stations.created', {name}) — falls back to zh-CN, then to the key itself.
export function t(key, params) {
  const table = messages[current] || {};
  let s = key in table ? table[key] : (messages[DEFAULT_LANG][key] ?? key);
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

document.documentElement.lang = current;
