// Shared helpers of the participant pages (/e/{id}, /r/{token}, /c/{token},
// /s/{token}): DOM building, a tiny zh-CN/English dictionary, the JSON API
// client, time formatting in Asia/Shanghai and the page frame.
//
// No innerHTML anywhere: every node is built with h() (createElement and
// textContent), so titles, names and comments from the API always show as
// literal text. No inline scripts or handlers (the CSP forbids them).
import { h, clear } from './lib/dom.js';
import { api } from './lib/api.js';
import { t, getLang, setLang, onLangChange, addMessages, applyLang, LANGS } from './lib/i18n.js';

const ZONE = 'Asia/Shanghai';

/* ----------------------------------------------------------------- i18n */

const messages = {
  'zh-CN': {
    'site.name': '心访工作室',
    'site.footer': '您的信息仅用于本次活动，活动结束后按规定删除。',
    'lang.label': '语言',
    'loading': '正在加载…',
    'retry': '重试',
    'kind.lecture': '讲座', 'kind.salon': '沙龙', 'kind.training': '培训',
    'kind.group': '团体辅导', 'kind.activity': '活动',
    'weekday': '周日,周一,周二,周三,周四,周五,周六',
    'field.time': '时间', 'field.place': '地点', 'field.spots': '名额',
    'spots.left': '剩余 {n} 个名额',
    'spots.full': '名额已满（可候补）',
    'spots.unlimited': '不限名额',
    'error.network': '网络连接失败，请检查网络后重试。',
    'error.server': '系统暂时无法处理，请稍后再试。',
    'error.rate': '提交过于频繁，请稍后再试。',
    'error.notFound': '未找到对应的页面，请核对链接是否完整。',
    'status.cancelled': '本活动已取消',
    'status.cancelledText': '给您带来不便，敬请谅解。如有疑问，请联系工作人员。',
    'status.held': '本活动已结束',
    'status.ended': '本活动已结束，报名已关闭',
    'status.endedText': '感谢您的关注，欢迎参加以后的活动。',
    'event.notFound': '未找到该活动',
    'event.notFoundText': '活动可能尚未公开或链接有误，请联系工作人员。',
    'form.title': '报名参加',
    'form.name': '姓名', 'form.phone': '手机', 'form.email': '邮箱', 'form.organisation': '单位',
    'form.required': '必填', 'form.optional': '选填',
    'form.note': '手机、邮箱、单位均为选填，仅用于本次活动的联系，不作他用。',
    'form.submit': '提交报名', 'form.waitlist': '登记候补',
    'form.submitting': '正在提交…',
    'form.err.name': '请填写姓名（不超过 50 个字）',
    'form.err.email': '请填写正确的邮箱地址',
    'form.err.phone': '请填写正确的手机号码（不超过 32 位）',
    'form.err.organisation': '单位名称不超过 100 个字',
    'form.err.other': '提交未成功，请检查填写内容后重试。',
    'form.err.closed': '本活动报名已关闭。',
    'reg.title': '我的报名',
    'reg.registered': '报名成功',
    'reg.waitlisted': '候补第 {n} 位',
    'reg.waitlistedNoPos': '已登记候补',
    'reg.waitlistText': '如有名额空出，将按顺序自动为您递补，请稍后再打开本页查看。',
    'reg.cancelled': '报名已取消',
    'reg.cancelledText': '您的报名已取消。如需参加，可重新报名。',
    'reg.checkedIn': '已签到',
    'reg.hello': '{name}，您好',
    'reg.qrHint': '签到时请出示此二维码',
    'reg.qrAlt': '签到二维码',
    'reg.bookmark': '请收藏本页或截图保存，以便活动当天出示二维码、取消报名和填写问卷。',
    'reg.survey': '填写满意度问卷',
    'reg.surveyText': '感谢您的参加！您的意见将帮助我们改进服务。',
    'reg.cancel': '取消报名',
    'reg.cancelConfirm': '确定要取消报名吗？取消后名额将让给候补的人。',
    'reg.cancelYes': '确定取消', 'reg.cancelNo': '暂不取消',
    'reg.cancelling': '正在取消…',
    'reg.eventLink': '查看活动详情',
    'reg.notFound': '未找到该报名',
    'reg.notFoundText': '链接可能不完整，请核对后再打开。',
    'reg.eventCancelled': '很抱歉，本活动已取消。',
    'ci.title': '现场签到',
    'ci.login': '请先登录工作人员账号',
    'ci.loginText': '签到需由工作人员操作。登录后将自动返回本页。',
    'ci.loginLink': '登录控制台',
    'ci.working': '正在签到…',
    'ci.ok': '签到成功：{name}',
    'ci.already': '已签到过：{name}',
    'ci.alreadyText': '此人此前已签到，无需重复签到。',
    'ci.at': '签到时间 {time}',
    'ci.event': '活动：{title}',
    'ci.forbidden': '当前账号无权签到，请使用协调员账号登录。',
    'ci.notFound': '无效的签到码',
    'ci.notFoundText': '未找到对应的报名，请核对二维码。',
    'ci.conflict': '无法签到：{message}',
    'ci.undo': '撤销本次签到',
    'ci.undone': '已撤销签到',
    'ci.again': '重新签到',
    'ci.next': '请扫描下一位参加者的二维码。',
    'sv.title': '满意度问卷',
    'sv.cTitle': '心理咨询满意度调查',
    'sv.cFooter': '本问卷匿名填写，不收集姓名、电话等个人信息。',
    'sv.cIntro': '感谢您接受心理咨询服务。问卷约需 1 分钟，匿名填写，您的评价仅用于改进服务。',
    'sv.intro': '感谢您参加本次活动。问卷约需 1 分钟，您的回答仅用于改进服务。',
    'sv.anonymous': '本问卷为匿名填写，不记录您的身份。',
    'sv.required': '必答',
    'sv.likert.5': '非常满意', 'sv.likert.4': '满意', 'sv.likert.3': '一般',
    'sv.likert.2': '不满意', 'sv.likert.1': '非常不满意',
    'sv.counter': '{n}/{max}',
    'sv.placeholder': '请写下您的意见或建议（选填）',
    'sv.submit': '提交问卷', 'sv.submitting': '正在提交…',
    'sv.err.required': '请回答此题',
    'sv.err.invalid': '此题的回答无效，请重新选择',
    'sv.err.tooLong': '内容过长，请不超过 {max} 个字',
    'sv.err.form': '还有题目需要完成，请查看标红的题目。',
    'sv.answered': '您已提交过问卷，谢谢',
    'sv.answeredText': '每份问卷只需填写一次，感谢您的支持。',
    'sv.closed': '问卷已关闭',
    'sv.closedText': '问卷在活动结束后 30 天内开放。感谢您的关注。',
    'sv.notFound': '未找到该问卷',
    'sv.notFoundText': '链接可能不完整或已失效，请联系工作人员。',
    'sv.thanks': '感谢您的反馈',
    'sv.thanksText': '您的问卷已提交。祝您生活顺利，一切安好。',
    'sv.close': '您现在可以关闭本页面。',
  },
  en: {
    'site.name': 'Counselling Studio',
    'site.footer': 'Your details are used only for this activity and deleted after it, as the rules require.',
    'lang.label': 'Language',
    'loading': 'Loading…',
    'retry': 'Try again',
    'kind.lecture': 'Lecture', 'kind.salon': 'Salon', 'kind.training': 'Training',
    'kind.group': 'Group session', 'kind.activity': 'Activity',
    'weekday': 'Sun,Mon,Tue,Wed,Thu,Fri,Sat',
    'field.time': 'Time', 'field.place': 'Place', 'field.spots': 'Places',
    'spots.left': '{n} places left',
    'spots.full': 'Fully booked (waiting list open)',
    'spots.unlimited': 'No limit',
    'error.network': 'Could not connect. Please check your network and try again.',
    'error.server': 'The system cannot handle this right now. Please try again later.',
    'error.rate': 'Too many attempts. Please try again later.',
    'error.notFound': 'Page not found. Please check that the link is complete.',
    'status.cancelled': 'This activity has been cancelled',
    'status.cancelledText': 'We apologise for the inconvenience. Please ask the staff if you have questions.',
    'status.held': 'This activity has taken place',
    'status.ended': 'This activity is over; registration is closed',
    'status.endedText': 'Thank you for your interest. You are welcome at future activities.',
    'event.notFound': 'Activity not found',
    'event.notFoundText': 'It may not be public yet, or the link is wrong. Please ask the staff.',
    'form.title': 'Register',
    'form.name': 'Name', 'form.phone': 'Mobile', 'form.email': 'E-mail', 'form.organisation': 'Organisation',
    'form.required': 'required', 'form.optional': 'optional',
    'form.note': 'Mobile, e-mail and organisation are optional and only used to contact you about this activity.',
    'form.submit': 'Register', 'form.waitlist': 'Join the waiting list',
    'form.submitting': 'Sending…',
    'form.err.name': 'Please enter your name (at most 50 characters)',
    'form.err.email': 'Please enter a valid e-mail address',
    'form.err.phone': 'Please enter a valid phone number (at most 32 characters)',
    'form.err.organisation': 'At most 100 characters',
    'form.err.other': 'That did not work. Please check your details and try again.',
    'form.err.closed': 'Registration for this activity is closed.',
    'reg.title': 'My registration',
    'reg.registered': 'You are registered',
    'reg.waitlisted': 'Waiting list: number {n}',
    'reg.waitlistedNoPos': 'You are on the waiting list',
    'reg.waitlistText': 'When a place becomes free you move up automatically. Please open this page again later.',
    'reg.cancelled': 'Registration cancelled',
    'reg.cancelledText': 'Your registration was cancelled. You may register again if you wish.',
    'reg.checkedIn': 'Checked in',
    'reg.hello': 'Hello, {name}',
    'reg.qrHint': 'Show this QR code when you check in',
    'reg.qrAlt': 'Check-in QR code',
    'reg.bookmark': 'Please bookmark this page or take a screenshot: you need it to check in, cancel, or answer the survey.',
    'reg.survey': 'Answer the satisfaction survey',
    'reg.surveyText': 'Thank you for coming! Your opinion helps us improve.',
    'reg.cancel': 'Cancel registration',
    'reg.cancelConfirm': 'Cancel your registration? Your place goes to the next person on the waiting list.',
    'reg.cancelYes': 'Yes, cancel', 'reg.cancelNo': 'Keep it',
    'reg.cancelling': 'Cancelling…',
    'reg.eventLink': 'Activity details',
    'reg.notFound': 'Registration not found',
    'reg.notFoundText': 'The link may be incomplete. Please check it.',
    'reg.eventCancelled': 'We are sorry: this activity has been cancelled.',
    'ci.title': 'Check-in',
    'ci.login': 'Please sign in as staff first',
    'ci.loginText': 'Check-in is done by staff. After signing in you come back here.',
    'ci.loginLink': 'Sign in to the console',
    'ci.working': 'Checking in…',
    'ci.ok': 'Checked in: {name}',
    'ci.already': 'Already checked in: {name}',
    'ci.alreadyText': 'This person was checked in before; nothing more to do.',
    'ci.at': 'Checked in at {time}',
    'ci.event': 'Activity: {title}',
    'ci.forbidden': 'This account may not check people in. Please sign in as a coordinator.',
    'ci.notFound': 'Invalid check-in code',
    'ci.notFoundText': 'No registration matches this QR code.',
    'ci.conflict': 'Cannot check in: {message}',
    'ci.undo': 'Undo this check-in',
    'ci.undone': 'Check-in undone',
    'ci.again': 'Check in again',
    'ci.next': 'Scan the next participant’s QR code.',
    'sv.title': 'Satisfaction survey',
    'sv.cTitle': 'Counselling satisfaction survey',
    'sv.cFooter': 'This survey is anonymous: no name, phone or other personal detail is collected.',
    'sv.cIntro': 'Thank you for coming to counselling. The survey takes about a minute and is anonymous; your answers are only used to improve our service.',
    'sv.intro': 'Thank you for taking part. The survey takes about a minute; your answers are only used to improve our service.',
    'sv.anonymous': 'This survey is anonymous: your identity is not recorded.',
    'sv.required': 'required',
    'sv.likert.5': 'Very satisfied', 'sv.likert.4': 'Satisfied', 'sv.likert.3': 'Neutral',
    'sv.likert.2': 'Dissatisfied', 'sv.likert.1': 'Very dissatisfied',
    'sv.counter': '{n}/{max}',
    'sv.placeholder': 'Your comments or suggestions (optional)',
    'sv.submit': 'Submit', 'sv.submitting': 'Sending…',
    'sv.err.required': 'Please answer this question',
    'sv.err.invalid': 'This answer is not valid; please choose again',
    'sv.err.tooLong': 'Too long: at most {max} characters',
    'sv.err.form': 'Some questions still need an answer; see the ones marked in red.',
    'sv.answered': 'You have already answered. Thank you',
    'sv.answeredText': 'Each survey is answered once. Thank you for your support.',
    'sv.closed': 'The survey is closed',
    'sv.closedText': 'The survey is open for 30 days after the activity. Thank you for your interest.',
    'sv.notFound': 'Survey not found',
    'sv.notFoundText': 'The link may be incomplete or no longer valid. Please ask the staff.',
    'sv.thanks': 'Thank you for your feedback',
    'sv.thanksText': 'Your answers were sent. We wish you all the best.',
    'sv.close': 'You may close this page now.',
  },
};

for (const [code, dict] of Object.entries(messages)) addMessages(code, dict);

/* ------------------------------------------------------------------ API */

// A registration by its token, with the event's place when the event is
// public (best effort: a private event shows without it).
export async function loadRegistration(token) {
  const reg = await api('GET', `/registrations/${encodeURIComponent(token)}`);
  const ev = reg && reg.event;
  if (ev && Number.isInteger(ev.id)) {
    try {
      const p = await api('GET', `/public/events/${ev.id}`);
      reg.event = { ...ev, station_name: p.station_name, venue: p.venue };
    } catch { /* shown without the place */ }
  }
  return reg;
}

// A general message for an error no page handles specially.
export function errorMessage(e) {
  if (!e || e.status === 0) return t('error.network');
  if (e.status === 404) return t('error.notFound');
  if (e.status === 429) return t('error.rate');
  return t('error.server');
}

// The last path segment after prefix ('/e/' → '12'), or '' when absent or
// not a plain token.
export function pathParam(prefix) {
  const p = location.pathname;
  if (!p.startsWith(prefix)) return '';
  const v = p.slice(prefix.length).replace(/\/+$/, '');
  return /^[A-Za-z0-9_-]{1,128}$/.test(v) ? v : '';
}

/* ----------------------------------------------------------------- time */

function parts(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE, year: 'numeric', month: 'numeric', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short',
  });
  const o = {};
  for (const p of f.formatToParts(d)) o[p.type] = p.value;
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(o.weekday);
  return { y: Number(o.year), m: Number(o.month), d: Number(o.day), wd, hm: `${o.hour}:${o.minute}` };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
  'August', 'September', 'October', 'November', 'December'];

function dayText(p, withYear = true) {
  const wd = t('weekday').split(',')[p.wd];
  if (getLang() === 'en') return `${wd} ${p.d} ${MONTHS[p.m - 1]}${withYear ? ` ${p.y}` : ''}`;
  return `${withYear ? `${p.y}年` : ''}${p.m}月${p.d}日（${wd}）`;
}

// "2027年3月2日（周二）14:30–16:30" (Asia/Shanghai); another end day is
// spelled out.
export function formatRange(start, end) {
  const a = parts(start);
  const b = parts(end);
  if (!a) return '';
  const sep = getLang() === 'en' ? ', ' : '';
  if (!b) return `${dayText(a)}${sep}${a.hm}`;
  if (a.y === b.y && a.m === b.m && a.d === b.d) return `${dayText(a)}${sep}${a.hm}–${b.hm}`;
  return `${dayText(a)}${sep}${a.hm} – ${dayText(b, a.y !== b.y)}${sep}${b.hm}`;
}

// formatRange as nodes: the time span of a one-day event does not break.
export function rangeNodes(start, end) {
  const a = parts(start);
  const b = parts(end);
  if (!a || !b || a.y !== b.y || a.m !== b.m || a.d !== b.d) return [formatRange(start, end)];
  return [`${dayText(a)}${getLang() === 'en' ? ', ' : ''}`, h('span', { class: 'nowrap' }, `${a.hm}–${b.hm}`)];
}

// "3月2日 14:30" for a single moment.
export function formatMoment(iso) {
  const a = parts(iso);
  if (!a) return '';
  return `${dayText(a, false)}${getLang() === 'en' ? ', ' : ''}${a.hm}`;
}

export function kindWord(kind) {
  const k = `kind.${kind}`;
  const s = t(k);
  return s === k ? '' : s;
}

/* ---------------------------------------------------------------- frame */

function langSwitch() {
  return h('div', { class: 'lang', role: 'group', 'aria-label': t('lang.label'), test: 'lang' },
    LANGS.map((l) => h('button', {
      type: 'button',
      class: l.code === getLang() ? 'lang-btn lang-on' : 'lang-btn',
      'aria-pressed': l.code === getLang() ? 'true' : 'false',
      lang: l.code,
      test: `lang-${l.code}`,
      onclick: () => setLang(l.code),
    }, l.label)));
}

// Replaces the page with the frame (header, main, footer) around content;
// returns main.
export function frame(title, ...content) {
  document.title = title ? `${title} · ${t('site.name')}` : t('site.name');
  const main = h('main', { class: 'main', id: 'main', test: 'main' }, content);
  const app = document.getElementById('app');
  clear(app).append(
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '#main' },
        h('img', { src: '/favicon.svg', alt: '', width: 24, height: 24 }),
        h('span', null, t('site.name'))),
      langSwitch()),
    main,
    h('footer', { class: 'foot' }, t('site.footer')));
  return main;
}

export function loading() {
  return h('div', { class: 'card loading', test: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('loading'));
}

// A card with a large icon, a heading and text: tone ok / warn / error / info.
export function notice(tone, heading, text, test, ...extra) {
  const icon = { ok: '✓', warn: '!', error: '✕', info: 'i' }[tone] || 'i';
  return h('section', { class: `card notice notice-${tone}`, test: test || `notice-${tone}`, role: tone === 'error' ? 'alert' : 'status' },
    h('div', { class: 'notice-icon', 'aria-hidden': 'true' }, icon),
    h('h1', { class: 'notice-title', test: 'notice-title' }, heading),
    text ? h('p', { class: 'notice-text' }, text) : null,
    extra);
}

// Event summary: kind badge, title, time, place, optional description.
export function eventHead(ev, { description = false, level = 'h1' } = {}) {
  const place = [ev.station_name, ev.venue].filter(Boolean).join(' · ');
  const rows = [
    ev.start ? [t('field.time'), rangeNodes(ev.start, ev.end), 'event-time'] : null,
    place ? [t('field.place'), place, 'event-place'] : null,
  ].filter(Boolean);
  return h('div', { class: 'event-head' },
    ev.kind ? h('span', { class: `kind kind-${ev.kind}`, test: 'event-kind' }, kindWord(ev.kind)) : null,
    h(level, { class: 'event-title', test: 'event-title' }, ev.title || ''),
    rows.length ? h('dl', { class: 'facts' }, rows.map(([k, v, test]) =>
      h('div', { class: 'fact' }, h('dt', null, k), h('dd', { test }, v)))) : null,
    description && ev.description ? h('p', { class: 'event-desc', test: 'event-desc' }, ev.description) : null);
}

// Runs render() now and after each language switch.
export function start(render) {
  applyLang();
  onLangChange(() => render());
  render();
}

// A safe link target from the API: same-origin paths, http(s) URLs only.
export function safeHref(url) {
  if (typeof url !== 'string' || !url) return null;
  if (/^\/(?!\/)/.test(url)) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch { return null; }
}
