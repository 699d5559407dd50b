// /u/{token}: what the opt-out link at the foot of a reminder e-mail
// opens. Says which activity, whether reminders are on, and has one
// button to stop them (or to start them again): GET and PUT
// /api/v1/reminders/{token} {"enabled": bool}. The token of the link is
// the opt-out token, which can do nothing else (older mails carry the
// registration token, which opens the same view and the registration
// link). Change and cancellation notices are sent either way.
import {
  h, t, api, frame, loading, notice, eventHead, start, pathParam, errorMessage, addMessages,
} from '/public.js';

addMessages('zh-CN', {
  'un.title': '活动提醒邮件',
  'un.eyebrow': '活动提醒邮件',
  'un.onTitle': '活动提醒已开启',
  'un.onText': '活动开始前，我们会按设定的时间给您发提醒邮件。',
  'un.off': '不再接收活动提醒',
  'un.offBusy': '正在退订…',
  'un.offTitle': '已退订',
  'un.offText': '您不会再收到此活动的提醒邮件；活动变更或取消时仍会通知您。',
  'un.on': '恢复活动提醒',
  'un.onBusy': '正在恢复…',
  'un.resumedTitle': '已恢复活动提醒',
  'un.note': '只影响这一场活动的提醒，不影响您的报名。',
  'un.regLink': '查看我的报名',
  'un.cancelledTitle': '报名已取消',
  'un.cancelledText': '您已取消这场活动的报名，不会再收到它的提醒邮件。',
  'un.eventCancelledTitle': '本活动已取消',
  'un.eventCancelledText': '这场活动不再举行，不会再发送提醒邮件。',
  'un.endedTitle': '本活动已结束',
  'un.endedText': '活动已经结束，不会再发送提醒邮件。',
  'un.notFound': '未找到对应的报名',
  'un.notFoundText': '退订链接可能不完整，或报名信息已按规定删除。请核对邮件中的链接；如有疑问，请联系工作人员。',
  'un.saveFailed': '没有保存成功：{message}',
});

addMessages('en', {
  'un.title': 'Activity reminder e-mails',
  'un.eyebrow': 'Activity reminder e-mails',
  'un.onTitle': 'Reminders are on',
  'un.onText': 'Before the activity starts we send you reminder e-mails at the set times.',
  'un.off': 'Stop activity reminders',
  'un.offBusy': 'Unsubscribing…',
  'un.offTitle': 'Unsubscribed',
  'un.offText': 'You will get no more reminder e-mails for this activity; we will still tell you if it changes or is cancelled.',
  'un.on': 'Resume activity reminders',
  'un.onBusy': 'Resuming…',
  'un.resumedTitle': 'Reminders are on again',
  'un.note': 'This only concerns the reminders for this activity, not your registration.',
  'un.regLink': 'My registration',
  'un.cancelledTitle': 'Registration cancelled',
  'un.cancelledText': 'You cancelled your registration for this activity, so no reminders are sent.',
  'un.eventCancelledTitle': 'This activity has been cancelled',
  'un.eventCancelledText': 'The activity will not take place; no reminders are sent.',
  'un.endedTitle': 'This activity is over',
  'un.endedText': 'The activity has ended; no reminders are sent.',
  'un.notFound': 'Registration not found',
  'un.notFoundText': 'The link may be incomplete, or the registration was deleted as the rules require. Please check the link in the e-mail, or ask the staff.',
  'un.saveFailed': 'Not saved: {message}',
});

const token = pathParam('/u/');
// changed: the state was set on this page (shows "resumed" rather than "on").
const state = { reg: null, error: null, busy: false, changed: false, actionError: '' };

async function load() {
  state.error = null;
  if (!token) { state.error = { status: 404 }; render(); return; }
  try {
    state.reg = await api('GET', `/reminders/${encodeURIComponent(token)}`);
  } catch (e) {
    state.error = e;
  }
  render();
}

async function setReminders(enabled) {
  state.busy = true;
  state.actionError = '';
  render();
  try {
    const r = await api('PUT', `/reminders/${encodeURIComponent(token)}`, { enabled });
    state.reg.reminders = r && typeof r.reminders === 'boolean' ? r.reminders : enabled;
    state.changed = true;
  } catch (e) {
    state.actionError = t('un.saveFailed', { message: errorMessage(e) });
  }
  state.busy = false;
  render();
  const btn = document.querySelector('[data-test="unsub-toggle"]');
  if (btn) btn.focus();
}

function stateCard(reg) {
  const on = reg.reminders !== false;
  const btn = h('button', {
    type: 'button',
    class: on ? 'btn btn-primary btn-block btn-big' : 'btn btn-block btn-big',
    test: 'unsub-toggle',
    'data-enabled': on ? 'true' : 'false',
    disabled: state.busy,
    onclick: () => setReminders(!on),
  }, state.busy ? t(on ? 'un.offBusy' : 'un.onBusy') : t(on ? 'un.off' : 'un.on'));
  const err = state.actionError ? h('p', { class: 'form-error', role: 'alert', test: 'unsub-error' }, state.actionError) : null;
  const box = on
    ? notice(state.changed ? 'ok' : 'info', t(state.changed ? 'un.resumedTitle' : 'un.onTitle'), t('un.onText'), 'unsub-on', err, btn)
    : notice('ok', t('un.offTitle'), t('un.offText'), 'unsub-off', err, btn);
  box.classList.add('unsub-state');
  box.appendChild(h('p', { class: 'unsub-note' }, t('un.note')));
  return box;
}

// A registration or event for which reminders no longer matter.
function closedCard(reg, ev) {
  if (reg.status === 'cancelled') return notice('info', t('un.cancelledTitle'), t('un.cancelledText'), 'unsub-closed');
  if (ev.status === 'cancelled') return notice('warn', t('un.eventCancelledTitle'), t('un.eventCancelledText'), 'unsub-closed');
  const ended = ev.status === 'held' || (ev.end && Date.parse(ev.end) <= Date.now());
  if (ended) return notice('info', t('un.endedTitle'), t('un.endedText'), 'unsub-closed');
  return null;
}

function render() {
  if (state.error) {
    const e = state.error;
    if (e.status === 404) frame(t('un.notFound'), notice('info', t('un.notFound'), t('un.notFoundText'), 'unsub-missing'));
    else frame(t('un.title'), notice('error', errorMessage(e), '', 'load-error', h('button', { type: 'button', class: 'btn', onclick: load }, t('retry'))));
    return;
  }
  const reg = state.reg;
  if (!reg) { frame(t('un.title'), loading()); return; }
  const ev = reg.event || {};
  frame(t('un.title'),
    h('article', { class: 'card event event-small', test: 'unsub-event' },
      h('p', { class: 'eyebrow unsub-eyebrow' }, t('un.eyebrow')),
      eventHead(ev, { level: 'h2' })),
    closedCard(reg, ev) || stateCard(reg),
    // The opt-out token opens no registration page.
    reg.via === 'registration'
      ? h('p', { class: 'unsub-links' },
        h('a', { class: 'link', href: `/r/${encodeURIComponent(token)}`, test: 'unsub-reg-link' }, t('un.regLink')))
      : null);
}

start(render);
load();
