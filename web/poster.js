// The QR poster of a station's counselling survey (poster.html?station=ID),
// or of an activity's anonymous survey link (poster.html?event=ID): a
// Chinese title, the station's name or the activity, the QR code of the
// anonymous survey link and short instructions, on one A4 sheet. Uses the
// console's sign-in (the session cookie); no innerHTML.
//
// An activity's link is read with POST /events/{id}/anonymous-survey
// {enabled: true}, which keeps the link that is on (the console offers the
// poster only then); the QR code is drawn here (lib/qr.js), the server has
// no image of it.
import { h } from './lib/dom.js';
import { api } from './lib/api.js';
import { qrMatrix, qrSvg } from './lib/qr.js';
import { zhDate } from './lib/format.js';

function fail(root, text) {
  root.replaceChildren(h('p', { class: 'poster-error', test: 'poster-error' }, text));
}

function ready(img) {
  const btn = document.querySelector('[data-test="poster-print"]');
  const done = () => { btn.disabled = false; document.body.setAttribute('data-ready', '1'); };
  if (!img || img.complete) done(); else { img.addEventListener('load', done); img.addEventListener('error', done); }
  btn.addEventListener('click', () => window.print());
}

async function eventPoster(root, id) {
  let ev;
  let link;
  try {
    ev = await api('GET', `/events/${id}`);
    link = await api('POST', `/events/${id}/anonymous-survey`, { enabled: true });
  } catch (e) {
    if (e.status === 401) { fail(root, '请先登录控制台，再从“活动计划 → 参与者与签到 → 问卷与结果”打开本页。'); return; }
    fail(root, `无法生成海报：${e.message}`);
    return;
  }
  const qr = qrSvg(qrMatrix(link.survey_url), { label: '满意度调查二维码' });
  qr.setAttribute('class', 'poster-qr');
  qr.setAttribute('data-test', 'poster-qr');
  document.title = `活动满意度调查 · ${ev.title}`;
  root.replaceChildren(
    h('p', { class: 'poster-org' }, '心访工作室'),
    h('h1', { class: 'poster-title', test: 'poster-title' }, '活动满意度调查'),
    h('p', { class: 'poster-station', test: 'poster-event' }, ev.title),
    h('p', { class: 'poster-date', test: 'poster-date' }, zhDate(ev.start.slice(0, 10))),
    qr,
    h('ul', { class: 'poster-steps' },
      h('li', null, '用手机微信或相机扫描二维码'),
      h('li', null, '为本次活动打分，约需 1 分钟'),
      h('li', null, '匿名填写，不记录您的姓名和电话')),
    h('p', { class: 'poster-note' }, '感谢您的评价，我们会认真改进服务。',
      h('br'), h('span', { class: 'poster-url', test: 'poster-url' }, link.survey_url)));
  ready(null);
}

async function main() {
  const root = document.getElementById('poster');
  const params = new URLSearchParams(location.search);
  const eventId = Number(params.get('event'));
  if (params.get('event') !== null) {
    if (!Number.isInteger(eventId) || eventId < 1) { fail(root, '缺少活动编号。请从控制台的“活动计划 → 参与者与签到”打开本页。'); return; }
    await eventPoster(root, eventId);
    return;
  }
  const id = Number(params.get('station'));
  if (!Number.isInteger(id) || id < 1) { fail(root, '缺少驻点编号。请从控制台的“驻点 → 满意度”打开本页。'); return; }
  let station;
  let link;
  try {
    [station, link] = await Promise.all([api('GET', `/stations/${id}`), api('GET', `/stations/${id}/survey-link`)]);
  } catch (e) {
    if (e.status === 401) { fail(root, '请先登录控制台，再从“驻点 → 满意度”打开本页。'); return; }
    fail(root, `无法生成海报：${e.message}`);
    return;
  }
  if (!link.enabled) { fail(root, `“${station.name}”尚未启用满意度调查链接，请先在控制台生成链接。`); return; }
  const img = h('img', { class: 'poster-qr', src: link.qr_url, alt: '满意度调查二维码', test: 'poster-qr' });
  root.replaceChildren(
    h('p', { class: 'poster-org' }, '心访工作室'),
    h('h1', { class: 'poster-title', test: 'poster-title' }, '心理咨询满意度调查'),
    h('p', { class: 'poster-station', test: 'poster-station' }, station.name),
    img,
    h('ul', { class: 'poster-steps' },
      h('li', null, '用手机微信或相机扫描二维码'),
      h('li', null, '为本次心理咨询服务打分，约需 1 分钟'),
      h('li', null, '匿名填写，不记录您的姓名和电话')),
    h('p', { class: 'poster-note' }, '感谢您的评价，我们会认真改进服务。',
      h('br'), h('span', { class: 'poster-url', test: 'poster-url' }, link.url)));
  ready(img);
}

main();
