// 消息渠道 (#/channels): the group robots of the district and of each
// station (企业微信 WeCom, 钉钉 DingTalk), each with "发送测试消息", and the
// SMS settings (read-only: they live in the configuration file).
//
// GET /api/v1/channels gives what is configured and every robot, with its
// key and secret shown as hints only; PUT/DELETE /api/v1/robots/{channel}
// (district) and /api/v1/stations/{id}/robots/{channel} save or remove a
// robot; POST …/test queues a test message whose outbox row is followed
// (GET /api/v1/outbox/{id}) until it is sent, failed or given up.
//
// Station names, hints and errors come from the server: everything is
// built with h()/textContent, never HTML.
import { h, clear, ensureStyle } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t, getLang } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, loadingState, errorState, emptyState, dataTable, errorText, field,
} from '../ui.js';
import { registerView } from '../app.js';
import './channels-i18n.js';

export const ROBOTS = ['wecom', 'dingtalk'];
const SMS_KINDS = ['registered', 'promoted', 'change', 'cancel', 'reminder'];
const POLL_MS = 1000;
const POLL_FOR_MS = 30000;

const STYLE = `
.ch-intro { margin: 0 0 14px; color: var(--muted); }
.ch-robots { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
.ch-robot { display: flex; flex-direction: column; gap: 8px; padding: 12px 14px; border: 1px solid var(--border); border-radius: 8px; background: #fff; }
.ch-robot-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.ch-robot-name { margin: 0; font-size: 15px; font-weight: 700; }
.ch-robot-actions { display: flex; flex-wrap: wrap; gap: 8px; }
.ch-state { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.ch-state-on { color: var(--ok); background: var(--ok-tint); }
.ch-state-none { color: #667085; background: #eceff3; }
.ch-state-off { color: #7a4b00; background: #fff4dc; }
.ch-hint { font-family: var(--mono); font-size: 12.5px; color: #475467; }
.ch-result { margin: 0; padding: 8px 10px; border-radius: 6px; font-size: 13px; overflow-wrap: anywhere; }
.ch-result-pending { color: #1b4570; background: var(--primary-tint); }
.ch-result-sent { color: var(--ok); background: var(--ok-tint); }
.ch-result-failed { color: #7a4b00; background: #fff4dc; }
.ch-result-dead, .ch-result-error { color: var(--danger); background: var(--danger-tint); }
.ch-sms dl { display: grid; grid-template-columns: 160px 1fr; gap: 6px 12px; margin: 0; }
.ch-sms dt { color: var(--muted); }
.ch-sms dd { margin: 0; overflow-wrap: anywhere; }
.ch-note { margin: 10px 0 0; font-size: 12.5px; color: var(--muted); }
.ch-banner { margin: 0 0 10px; padding: 10px 12px; border-radius: 6px; color: #5c3d00; background: #fff8eb; border: 1px solid #f0c36d; }
.ch-banner code, .ch-sms code { font-family: var(--mono); font-size: 12.5px; }
.ch-cell { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.ch-dialog { width: min(720px, calc(100vw - 24px)); }
.ch-fieldset { margin: 0 0 14px; padding: 12px 14px; border: 1px solid var(--border); border-radius: 8px; }
.ch-fieldset legend { padding: 0 6px; font-weight: 700; }
.ch-check { display: flex; align-items: center; gap: 8px; min-height: 40px; }
.ch-check input { width: 20px; height: 20px; }
.ch-buttons { display: flex; flex-wrap: wrap; gap: 8px; }
.ch-buttons .btn { min-height: 40px; }
@media (max-width: 760px) {
  .ch-robots { grid-template-columns: 1fr; }
  .ch-sms dl { grid-template-columns: 1fr; gap: 2px; }
  .ch-sms dd { margin-bottom: 8px; }
  .ch-robot-actions .btn, .ch-buttons .btn { flex: 1 1 auto; min-height: 44px; }
}
`;


const channelName = (c) => t(`channel.${c}`);
const robotBase = (stationId) => (stationId ? `/stations/${stationId}/robots` : '/robots');

// Our own sentence with configuration keys set as code.
function withCode(text) {
  return text.split(/(\b(?:sms|wecom|dingtalk)_[a-z_]+\b)/).filter(Boolean)
    .map((part) => (/^(?:sms|wecom|dingtalk)_/.test(part) ? h('code', null, part) : part));
}

function stateBadge(robot, enabled, test) {
  if (!enabled) return h('span', { class: 'ch-state ch-state-none', test }, t('channels.channelOff'));
  if (!robot) return h('span', { class: 'ch-state ch-state-none', test }, t('channels.notSet'));
  if (!robot.active) return h('span', { class: 'ch-state ch-state-off', test }, t('channels.off'));
  return h('span', { class: 'ch-state ch-state-on', test }, robot.webhook_hint);
}

function clock(iso) {
  try {
    return new Intl.DateTimeFormat(getLang(), { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(iso));
  } catch { return iso || ''; }
}

// Queues a test message and follows its outbox row; shows each state in box.
async function sendTest(stationId, channel, box, button, alive) {
  button.disabled = true;
  const label = button.textContent;
  button.textContent = t('robot.testing');
  const show = (kind, text) => {
    box.className = `ch-result ch-result-${kind}`;
    box.setAttribute('data-state', kind);
    box.setAttribute('role', kind === 'dead' || kind === 'error' ? 'alert' : 'status');
    box.textContent = text;
    box.hidden = false;
  };
  try {
    const r = await api('POST', `${robotBase(stationId)}/${channel}/test`);
    show('pending', t('robot.test.pending'));
    const end = Date.now() + POLL_FOR_MS;
    for (;;) {
      await new Promise((res) => setTimeout(res, POLL_MS));
      if (!alive()) return;
      const m = await api('GET', `/outbox/${r.outbox_id}`);
      if (m.status === 'sent') { show('sent', t('robot.test.sent', { time: clock(m.sent_at) })); break; }
      if (m.status === 'failed') { show('failed', t('robot.test.failed', { error: m.last_error, time: clock(m.next_attempt_at) })); break; }
      if (m.status === 'dead') { show('dead', t('robot.test.dead', { error: m.last_error })); break; }
      if (m.status === 'skipped') { show('dead', t('robot.test.skipped', { error: m.last_error })); break; }
      if (Date.now() > end) { show('pending', t('robot.test.slow')); break; }
    }
  } catch (e) {
    if (e.status === 401) return;
    show('error', errorText(e));
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

// The settings of one robot (one channel of one scope) as a form.
function robotForm({ stationId, scope, channel, robot, enabled, onChange, alive }) {
  const isDing = channel === 'dingtalk';
  const webhook = h('input', {
    type: 'text', class: 'input', autocomplete: 'off', spellcheck: 'false', maxlength: 512, inputmode: 'url',
    placeholder: t(`robot.webhookPlaceholder.${channel}`), test: `robot-${channel}-webhook`,
  });
  const secret = isDing ? h('input', {
    type: 'password', class: 'input', autocomplete: 'new-password', spellcheck: 'false', maxlength: 128, placeholder: 'SEC…', test: 'robot-dingtalk-secret',
  }) : null;
  const clearSecret = isDing && robot && robot.has_secret
    ? h('input', { type: 'checkbox', test: 'robot-dingtalk-secret-clear' }) : null;
  const active = h('input', { type: 'checkbox', checked: robot ? robot.active : true, test: `robot-${channel}-active` });
  const result = h('p', { class: 'ch-result', test: `robot-${channel}-result`, hidden: true, 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: `robot-${channel}-save` }, t('robot.save'));
  const test = h('button', { type: 'button', class: 'btn', test: `robot-${channel}-test`, disabled: !robot || !robot.active }, t('robot.test'));
  const remove = robot ? h('button', { type: 'button', class: 'btn btn-danger-ghost', test: `robot-${channel}-remove` }, t('robot.remove')) : null;
  const formError = h('div', { class: 'form-error', role: 'alert', hidden: true, test: `robot-${channel}-error` });

  const form = h('form', { class: 'form', novalidate: true, test: `robot-${channel}-form` },
    h('fieldset', { class: 'ch-fieldset', disabled: !enabled },
      h('legend', null, channelName(channel), ' ', stateBadge(robot, enabled, `robot-${channel}-state`)),
      enabled ? null : h('p', { class: 'ch-note' }, withCode(t('channels.channelOffHow', { key: `${channel}_url` }))),
      field(`robot-${channel}`, 'webhook', t('robot.webhook'), webhook,
        robot ? t('robot.webhookKeep', { hint: robot.webhook_hint }) : t('robot.webhookHint')),
      isDing ? field(`robot-${channel}`, 'secret', t('robot.secret'), secret,
        robot && robot.has_secret ? t('robot.secretKeep', { hint: robot.secret_hint }) : t('robot.secretHint')) : null,
      clearSecret ? h('label', { class: 'ch-check' }, clearSecret, t('robot.secretClear')) : null,
      h('label', { class: 'ch-check' }, active, t('robot.active')),
      formError,
      h('div', { class: 'ch-buttons' }, save, test, remove),
      result));

  const fail = (fieldName, message) => {
    formError.textContent = message;
    formError.hidden = false;
    const input = fieldName === 'secret' ? secret : webhook;
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    formError.hidden = true;
    webhook.removeAttribute('aria-invalid');
    if (secret) secret.removeAttribute('aria-invalid');
    const body = { active: active.checked };
    if (webhook.value.trim()) body.webhook = webhook.value.trim();
    if (secret && secret.value.trim()) body.secret = secret.value.trim();
    else if (clearSecret && clearSecret.checked) body.secret = '';
    if (!robot && !body.webhook) { fail('webhook', t('common.required')); return; }
    save.disabled = true;
    try {
      await api('PUT', `${robotBase(stationId)}/${channel}`, body);
      toast(t('robot.saved', { channel: channelName(channel) }));
      onChange();
    } catch (e) {
      if (e.status === 401) return;
      if (e.field === 'webhook') fail('webhook', t('robot.error.webhook'));
      else if (e.field === 'secret') fail('secret', t('robot.error.secret'));
      else if (e.field === 'channel') fail(null, t('robot.error.channel'));
      else fail(null, errorText(e));
    } finally {
      save.disabled = false;
    }
  });
  test.addEventListener('click', () => sendTest(stationId, channel, result, test, alive));
  if (remove) {
    remove.addEventListener('click', async () => {
      const ok = await confirmDialog(t('robot.confirmRemove', { scope, channel: channelName(channel) }), { okLabel: t('robot.remove'), danger: true });
      if (!ok) return;
      try {
        await api('DELETE', `${robotBase(stationId)}/${channel}`);
        toast(t('robot.removed', { channel: channelName(channel) }));
        onChange();
      } catch (e) {
        if (e.status !== 401) fail(null, errorText(e));
      }
    });
  }
  return form;
}

// The dialog of one scope (a station, or the district: stationId null).
function robotDialog({ stationId, scope, settings, onChange }) {
  const d = openDialog({ title: t('robot.dialog', { scope }), test: 'robot-dialog', wide: true });
  d.dialog.classList.add('ch-dialog');
  let open = true;
  const alive = () => open && d.dialog.isConnected;
  const draw = async () => {
    let robots = settings.robots;
    if (stationId) {
      clear(d.body).appendChild(loadingState());
      try {
        const r = await api('GET', `/stations/${stationId}/robots`);
        robots = ROBOTS.map((c) => r[c]).filter(Boolean);
      } catch (e) {
        if (e.status !== 401) clear(d.body).appendChild(errorState(e, draw));
        return;
      }
    }
    const mine = (c) => robots.find((x) => x.channel === c && (x.station_id ?? null) === (stationId ?? null)) || null;
    clear(d.body).append(...ROBOTS.map((c) => robotForm({
      stationId, scope, channel: c, robot: mine(c), enabled: settings[c].enabled, alive,
      onChange: async () => {
        onChange();
        if (!stationId) {
          try { settings = await api('GET', '/channels'); } catch { return; }
        }
        draw();
      },
    })));
  };
  d.footer.append(h('button', { type: 'button', class: 'btn', test: 'robot-dialog-close', onclick: () => { open = false; d.close(); } }, t('common.close')));
  draw();
  return d;
}

function districtCard(settings, reload) {
  const robotCard = (c) => {
    const r = settings.robots.find((x) => x.channel === c && x.station_id == null) || null;
    return h('div', { class: 'ch-robot', test: `district-${c}` },
      h('div', { class: 'ch-robot-head' }, h('h3', { class: 'ch-robot-name' }, channelName(c)), stateBadge(r, settings[c].enabled, `district-${c}-state`)),
      settings[c].enabled ? null : h('p', { class: 'ch-note' }, withCode(t('channels.channelOffHow', { key: `${c}_url` }))));
  };
  return h('section', { class: 'card', test: 'channels-district' },
    h('div', { class: 'card-head' },
      h('h2', { class: 'card-title' }, t('channels.district')),
      h('button', { type: 'button', class: 'btn btn-primary', test: 'district-configure',
        onclick: () => robotDialog({ stationId: null, scope: t('robot.district'), settings, onChange: reload }) }, t('channels.configure'))),
    h('p', { class: 'card-hint' }, t('channels.districtHint')),
    h('div', { class: 'ch-robots' }, ROBOTS.map(robotCard)),
    h('p', { class: 'ch-note', test: 'channels-duty-time' }, t('channels.dutyTime', { time: settings.duty_message_time })));
}

function smsCard(sms) {
  const dl = (label, value, test) => [h('dt', null, label), h('dd', { test }, value)];
  const body = sms.configured
    ? h('dl', null,
      dl(t('sms.provider'), t(`sms.provider.${sms.provider}`), 'sms-provider'),
      dl(t('sms.endpoint'), h('span', { class: 'ch-hint' }, sms.endpoint), 'sms-endpoint'),
      dl(t('sms.signName'), `【${sms.sign_name}】`, 'sms-sign-name'),
      dl(t('sms.keyId'), h('span', { class: 'ch-hint' }, sms.key_id_hint), 'sms-key-id'),
      dl(t('sms.dailyLimit'), sms.daily_limit ? t('sms.dailyLimitValue', { n: sms.daily_limit }) : t('sms.noLimit'), 'sms-daily-limit'),
      SMS_KINDS.map((k) => dl(t(`sms.kind.${k}`), sms.templates[k] ? h('span', { class: 'ch-hint' }, sms.templates[k]) : t('sms.noTemplate'), `sms-template-${k}`)))
    : h('div', { class: 'ch-banner', role: 'note', test: 'sms-not-configured' },
      h('p', { style: 'margin:0 0 4px;font-weight:700' }, t('sms.notConfigured')),
      h('p', { style: 'margin:0' }, withCode(t('sms.how'))));
  return h('section', { class: 'card ch-sms', test: 'channels-sms' },
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('sms.title'))),
    body,
    h('p', { class: 'ch-note' }, t('sms.readOnly')));
}

function stationsCard(settings, stations, reload) {
  const robotOf = (s, c) => settings.robots.find((x) => x.channel === c && x.station_id === s.id) || null;
  const content = stations.length === 0 ? emptyState(t('channels.noStations')) : dataTable({
    test: 'channels-stations-table',
    rowTest: 'channels-station-row',
    caption: t('channels.stations'),
    rows: stations,
    columns: [
      { label: t('channels.col.station'), class: 'col-name', cell: (s) => h('span', { test: 'channels-station-name' }, s.name) },
      ...ROBOTS.map((c) => ({ label: channelName(c), cell: (s) => h('span', { class: 'ch-cell' }, stateBadge(robotOf(s, c), settings[c].enabled, `station-${c}-state`)) })),
      { label: t('common.actions'), class: 'col-actions', cell: (s) => h('button', {
        type: 'button', class: 'btn btn-small', test: 'station-robots',
        onclick: () => robotDialog({ stationId: s.id, scope: s.name, settings, onChange: reload }),
      }, t('channels.configure')) },
    ],
  });
  return h('section', { class: 'card', test: 'channels-stations' },
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('channels.stations'))),
    h('p', { class: 'card-hint' }, t('channels.stationsHint')),
    content);
}

const CHANNEL_ICON = ['M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z', 'M8 9h8', 'M8 13h5'];

registerView('channels', {
  titleKey: 'channels.title',
  navKey: 'nav.channels',
  order: 66,
  icon: CHANNEL_ICON,
  render(el, ctx) {
    ensureStyle('ch-style', STYLE);
    const box = h('div', { test: 'channels-view' });
    el.append(h('p', { class: 'ch-intro' }, t('channels.intro')), box);
    const load = async () => {
      if (!box.firstChild) box.appendChild(loadingState());
      let settings;
      let stations;
      try {
        [settings, stations] = await Promise.all([api('GET', '/channels'), listAll('/stations?active=true')]);
      } catch (e) {
        if (!ctx.alive() || e.status === 401) return;
        clear(box).appendChild(errorState(e, load));
        return;
      }
      if (!ctx.alive()) return;
      clear(box).append(districtCard(settings, load), stationsCard(settings, stations, load), smsCard(settings.sms));
    };
    load();
  },
});
