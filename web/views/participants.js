// 活动参与者 (#/participants/{eventId}[/list|checkin|assess|survey]): the
// people of one activity, from the event detail of 活动计划. Four tabs:
//   报名名单  registrations and the waiting list, with their contact and
//             channels; the list as CSV;
//   签到      roll call with search (a registered person, a waitlisted one
//             after a warning), walk-ins by name, undo, and the door: the
//             participant's QR code opens /c/{token} on a staff phone, or
//             the code under it is typed here;
//   考核      trainings: passed and score per trainee;
//   问卷      the survey links (each attendee's, the anonymous link with
//             its QR code and poster), the results with a chart per
//             question and the comments, the CSV of answers, paper tallies.
// Mark held (with a confirmation) is here and in the event detail.
// Names, phones and answers come from the server: text only, tooltips
// escaped.
import { h, clear, ensureStyle, copyText } from '../lib/dom.js';
import { api, apiUrl } from '../lib/api.js';
import { t, has } from '../lib/i18n.js';
import { qrMatrix, qrSvg } from '../lib/qr.js';
import { toast, openDialog, confirmDialog, errorText, loadingState, errorState, emptyState, dataTable } from '../ui.js';
import { registerView } from '../app.js';
import {
  kindBadge, statusPill, fmtRange, fmtStamp, wallDate, wallTime, add, markHeld,
} from './event-util.js';
import { tallySection, pct } from './counselling.js';
import './participants-i18n.js';
import './events-i18n.js';
import './channels-i18n.js';
import './counselling-i18n.js';

const TABS = ['list', 'checkin', 'assess', 'survey'];
const LIKERT = [5, 4, 3, 2, 1];

const STYLE = `
.pp-head { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; margin-bottom: 14px; }
.pp-head .back-link { align-self: flex-start; margin-bottom: 0; }
.pp-title-row { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.pp-title { margin: 0; font-size: 19px; overflow-wrap: anywhere; }
.pp-meta { color: #475467; font-size: 14px; overflow-wrap: anywhere; }
.pp-actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.pp-tabs { display: flex; gap: 4px; border-bottom: 1px solid #e3e7ec; margin: 4px 0 16px; overflow-x: auto; }
.pp-tab { padding: 10px 14px; text-decoration: none; color: #475467; font-weight: 600; border-bottom: 3px solid transparent; white-space: nowrap; }
.pp-tab.is-active { color: #1b4570; border-bottom-color: #2f6fb0; }
.pp-stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 12px; margin-bottom: 16px; }
.pp-stat { padding: 12px 14px; }
.pp-stat .stat-value { font-size: 26px; }
.pp-roll { list-style: none; margin: 0; padding: 0; }
.pp-person { display: flex; align-items: center; gap: 12px; padding: 10px 4px; border-bottom: 1px solid #eef0f3; }
.pp-person:last-child { border-bottom: 0; }
.pp-who { flex: 1; min-width: 0; }
.pp-name { font-size: 16px; font-weight: 600; overflow-wrap: anywhere; }
.pp-sub { font-size: 13px; color: #667085; overflow-wrap: anywhere; }
.pp-chip { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12.5px; font-weight: 600; margin-left: 6px; vertical-align: 2px; }
.pp-chip-wait { color: #7a4b00; background: #fff4dc; }
.pp-chip-walk { color: #344054; background: #eef1f5; }
.pp-chip-in { color: #0f6b45; background: #e3f4ea; }
.pp-go { min-height: 44px; min-width: 96px; font-size: 15px; }
.pp-done { color: #0f6b45; font-weight: 600; white-space: nowrap; }
.pp-door { display: flex; gap: 8px; flex-wrap: wrap; }
.pp-row-actions { display: flex; gap: 6px; flex-wrap: wrap; }
.pp-row-actions .btn { min-height: 36px; }
.pp-door .input { flex: 1 1 240px; min-height: 44px; font-family: var(--mono); }
.pp-result { margin-top: 10px; padding: 12px 14px; border-radius: 8px; font-size: 16px; font-weight: 600; }
.pp-result-ok { color: #0f6b45; background: #e3f4ea; }
.pp-result-warn { color: #7a4b00; background: #fff4dc; }
.pp-result-bad { color: #b42318; background: #fdecea; }
.pp-search { width: 100%; min-height: 44px; margin-bottom: 8px; }
.pp-walkin { display: flex; gap: 8px; flex-wrap: wrap; }
.pp-walkin .input { flex: 1 1 200px; min-height: 44px; }
.pp-steps { margin: 4px 0 10px; padding-left: 20px; color: #344054; }
.pp-steps li { margin: 2px 0; }
.pp-assess .input-num { width: 90px; }
.pp-assess select { min-width: 110px; }
.pp-link { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.pp-link .input { flex: 1 1 260px; font-family: var(--mono); font-size: 13px; }
.pp-qr { width: 200px; height: 200px; display: block; margin: 10px 0; border: 1px solid #e3e7ec; }
.pp-qr-big { width: min(320px, 80vw); height: auto; aspect-ratio: 1; display: block; margin: 8px auto; }
.pp-chart { width: 100%; height: 240px; }
.pp-q { margin-bottom: 18px; }
.pp-comments { margin: 0; padding-left: 20px; }
.pp-comments li { margin: 4px 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.pp-note { color: #667085; font-size: 13px; margin: 6px 0; }
@media (max-width: 760px) {
  .pp-person { flex-wrap: wrap; }
  .pp-go { flex: 1 1 100%; }
  .pp-person .btn-small, .pp-assess .btn-small { min-height: 40px; padding: 6px 12px; }
  .pp-stats { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 8px; }
  .pp-stat { padding: 10px; }
  .pp-stat .stat-value { font-size: 22px; }
}
`;

// ECharts draws its tooltip as HTML: everything from the server is escaped.
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

const sorted = (xs) => xs.slice().sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);

// The last four digits of a phone, for the roll call (all of it in the list).
const phoneTail = (p) => (p ? String(p).replace(/\D/g, '').slice(-4) : '');

// A typed or pasted check-in code: the token itself, in groups or not, or
// the whole /c/{token} link.
export function parseCheckinCode(raw) {
  const s = String(raw || '').trim();
  const m = /\/c\/([A-Za-z0-9_-]+)/.exec(s);
  const code = (m ? m[1] : s).replace(/[\s-]+/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(code) ? code : null;
}

registerView('participants', {
  titleKey: 'pp.title',
  nav: false,
  async render(el, ctx) {
    ensureStyle('pp-style', STYLE);
    const id = Number(ctx.params[0]);
    el.appendChild(loadingState());
    let ev;
    let regs;
    let att;
    try {
      [ev, regs, att] = await Promise.all([
        api('GET', `/events/${id}`),
        api('GET', `/events/${id}/registrations`).then((r) => r.items || []),
        api('GET', `/events/${id}/attendance`).then((r) => r.items || []),
      ]);
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(el).appendChild(errorState(e, ctx.refresh));
      return undefined;
    }
    if (!ctx.alive()) return undefined;
    let station = null;
    if (ev.station_id != null) {
      try { station = await api('GET', `/stations/${ev.station_id}`); } catch { station = null; }
      if (!ctx.alive()) return undefined;
    }
    const training = ev.kind === 'training';
    const started = Date.now() >= Date.parse(ev.start);
    const open = ev.status === 'planned' || ev.status === 'confirmed';
    const defaultTab = ev.status === 'held' ? 'survey' : started ? 'checkin' : 'list';
    let tab = TABS.includes(ctx.params[1]) ? ctx.params[1] : defaultTab;
    if (tab === 'assess' && !training) tab = defaultTab;

    const state = { ev, regs, att, station };
    const stats = h('div', { class: 'pp-stats', test: 'pp-stats' });
    const body = h('div', { test: `pp-tab-${tab}` });
    const heldBtn = open ? h('button', {
      type: 'button', class: 'btn', test: 'pp-held', disabled: !started, title: started ? null : t('detail.notStarted'),
      onclick: async () => { if (await markHeld(ev)) ctx.refresh(); },
    }, t('detail.markHeld')) : null;
    const tabLink = (k) => h('a', {
      class: k === tab ? 'pp-tab is-active' : 'pp-tab', href: `#/participants/${id}/${k}`, test: `pp-tabbtn-${k}`,
      'aria-current': k === tab ? 'page' : null,
    }, t(`pp.tab.${k}`));

    add(clear(el),
      h('div', { class: 'pp-head' },
        h('a', { class: 'back-link', href: `#/events/${wallDate(ev.start)}`, test: 'pp-back' }, `← ${t('pp.back')}`),
        h('div', { class: 'pp-title-row' }, kindBadge(ev.kind), statusPill(ev.status), h('h2', { class: 'pp-title', test: 'pp-event-title' }, ev.title)),
        h('div', { class: 'pp-meta', test: 'pp-event-meta' },
          [fmtRange(ev.start, ev.end, { weekday: true }), station ? station.name : t('events.districtWide'), ev.venue].filter(Boolean).join(' · ')),
        h('div', { class: 'pp-actions' }, heldBtn,
          ev.status === 'held' ? h('span', { class: 'pp-note', test: 'pp-held-note' }, t('pp.heldNote')) : null,
          ev.status === 'held' ? h('button', {
            type: 'button', class: 'btn', test: 'pp-undo-held', title: t('pp.undoHeldHint'),
            onclick: async () => { if (await undoHeld(ev)) ctx.refresh(); },
          }, t('pp.undoHeld')) : null)),
      stats,
      h('nav', { class: 'pp-tabs', 'aria-label': t('pp.tabsLabel') }, TABS.filter((k) => k !== 'assess' || training).map(tabLink)),
      body);

    const reload = async () => {
      try {
        [state.regs, state.att] = await Promise.all([
          api('GET', `/events/${id}/registrations`).then((r) => r.items || []),
          api('GET', `/events/${id}/attendance`).then((r) => r.items || []),
        ]);
      } catch (e) {
        if (e.status !== 401) toast(errorText(e), 'error');
        return;
      }
      if (!ctx.alive()) return;
      drawStats();
      draw();
    };

    function drawStats() {
      const live = state.regs.filter((g) => g.status !== 'cancelled');
      const registered = live.filter((g) => g.status === 'registered').length;
      const waiting = live.filter((g) => g.status === 'waitlisted').length;
      const walkIns = state.att.filter((a) => a.walk_in).length;
      const stat = (label, value, sub, test) => h('div', { class: 'card stat pp-stat' },
        h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value', test }, value), sub ? h('span', { class: 'stat-sub' }, sub) : null);
      add(clear(stats),
        stat(t('pp.stat.registered'), String(registered), ev.capacity != null ? t('pp.stat.capacity', { n: ev.capacity }) : t('events.noLimit'), 'pp-stat-registered'),
        stat(t('pp.stat.waitlisted'), String(waiting), null, 'pp-stat-waitlisted'),
        stat(t('pp.stat.attended'), String(state.att.length), walkIns ? t('pp.stat.walkIns', { n: walkIns }) : null, 'pp-stat-attended'));
    }

    let cleanup = null;
    function draw() {
      if (cleanup) { cleanup(); cleanup = null; }
      clear(body);
      if (tab === 'list') listTab(body, state, reload);
      else if (tab === 'checkin') checkinTab(body, state, reload);
      else if (tab === 'assess') assessTab(body, state, reload);
      else cleanup = surveyTab(body, state, ctx);
    }
    drawStats();
    draw();
    return () => { if (cleanup) cleanup(); };
  },
});

/* ------------------------------------------------------------ 报名名单 */

function regStatus(g, waitPos) {
  if (g.status === 'waitlisted') return t('pp.waitPos', { n: waitPos.get(g.id) });
  return has(`reg.status.${g.status}`) ? t(`reg.status.${g.status}`) : g.status;
}

// 撤销“已举办”: back to confirmed while nobody has answered the survey
// (the server answers 409 with the reason otherwise).
async function undoHeld(ev) {
  const ok = await confirmDialog(t('pp.undoHeldConfirm', { title: ev.title }), { okLabel: t('pp.undoHeld') });
  if (!ok) return false;
  try {
    await api('POST', `/events/${ev.id}/undo-held`);
    toast(t('pp.undoHeldDone'));
    return true;
  } catch (e) {
    if (e.status !== 401) toast(e.status === 409 && e.message ? e.message : errorText(e), 'error');
    return false;
  }
}

// A coordinator's promote (waitlisted → registered) or cancel of one
// registration; the person is mailed by the server.
async function regAction(g, what, reload) {
  const name = g.name || '';
  const ok = await confirmDialog(t(`pp.${what}Confirm`, { name }), { okLabel: t(`pp.${what}`), danger: what === 'cancelReg' });
  if (!ok) return;
  try {
    await api('POST', `/registrations/${g.id}/${what === 'promote' ? 'promote' : 'cancel'}`);
    toast(t(`pp.${what}Done`, { name }));
  } catch (e) {
    if (e.status !== 401) toast(e.status === 409 && e.message ? e.message : errorText(e), 'error');
  }
  await reload();
}

function listTab(box, state, reload) {
  const { regs, att, ev } = state;
  const waiting = sorted(regs.filter((g) => g.status === 'waitlisted'));
  const waitPos = new Map(waiting.map((g, i) => [g.id, i + 1]));
  const byReg = new Map(att.filter((a) => a.registration_id != null).map((a) => [a.registration_id, a]));
  const chips = (g) => {
    const out = (g.channels || []).map((c) => h('span', { class: 'pp-chip pp-chip-walk', title: t('reg.sentOf', { sent: c.sent, queued: c.queued }) },
      `${has(`channel.${c.channel}`) ? t(`channel.${c.channel}`) : c.channel} ${c.sent}/${c.queued}`));
    return out.length ? out : '—';
  };
  const table = (rows, test, caption) => dataTable({
    test, rowTest: 'pp-reg-row', caption, rows,
    columns: [
      { label: t('reg.col.name'), class: 'col-wrap', cell: (g) => g.name || '—' },
      { label: t('reg.col.status'), cell: (g) => h('span', { test: 'pp-reg-status' }, regStatus(g, waitPos)) },
      { label: t('pp.col.phone'), cell: (g) => g.phone || '—' },
      { label: t('pp.col.email'), class: 'col-wrap', cell: (g) => g.email || '—' },
      { label: t('pp.col.org'), class: 'col-wrap', cell: (g) => g.organisation || '—' },
      { label: t('pp.col.at'), cell: (g) => fmtStamp(g.created_at) },
      { label: t('pp.col.checkedIn'), cell: (g) => (byReg.has(g.id) ? h('span', { class: 'pp-chip pp-chip-in' }, wallTime(byReg.get(g.id).checked_in_at)) : '—') },
      { label: t('reg.col.channels'), cell: chips },
      { label: t('pp.col.actions'), cell: (g) => actions(g) },
    ],
  });
  // Promote (waitlist only) and cancel (not once checked in), for a live
  // registration of an activity not yet over.
  const actions = (g) => {
    if (g.status === 'cancelled' || ev.status === 'cancelled') return '—';
    const out = [];
    if (g.status === 'waitlisted') {
      out.push(h('button', { type: 'button', class: 'btn btn-small', test: 'pp-promote', onclick: () => regAction(g, 'promote', reload) }, t('pp.promote')));
    }
    if (!byReg.has(g.id)) {
      out.push(h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'pp-cancel-reg', onclick: () => regAction(g, 'cancelReg', reload) }, t('pp.cancelReg')));
    }
    return out.length ? h('div', { class: 'pp-row-actions' }, out) : '—';
  };
  const registered = sorted(regs.filter((g) => g.status === 'registered'));
  const cancelled = sorted(regs.filter((g) => g.status === 'cancelled'));
  // The list as the server writes it (core's CSV writer: BOM,
  // formula-guarded), with the session's cookie.
  const csv = h('a', {
    class: 'btn', test: 'pp-csv', href: apiUrl(`/events/${ev.id}/registrations.csv`),
    download: `participants-${ev.id}-${wallDate(ev.start)}.csv`,
  }, t('pp.csv'));
  add(box,
    h('div', { class: 'toolbar' },
      h('p', { class: 'pp-note' }, ev.public ? t('pp.listIntro', { path: `/e/${ev.id}` }) : t('pp.listIntroPrivate')),
      h('div', { class: 'toolbar-right' }, csv)),
    h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.registered', { n: registered.length }))),
      registered.length ? table(registered, 'pp-registered', t('pp.registered', { n: registered.length })) : emptyState(t('reg.none'))),
    h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.waitlist', { n: waiting.length })),
        h('span', { class: 'card-hint' }, t('pp.waitlistHint'))),
      waiting.length ? table(waiting, 'pp-waitlist', t('pp.waitlist', { n: waiting.length })) : emptyState(t('pp.waitlistNone'))),
    cancelled.length ? h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.cancelled', { n: cancelled.length }))),
      table(cancelled, 'pp-cancelled', t('pp.cancelled', { n: cancelled.length }))) : null);
}

/* ---------------------------------------------------------------- 签到 */

function checkinTab(box, state, reload) {
  const { ev } = state;
  if (ev.status === 'cancelled') { box.appendChild(emptyState(t('pp.cancelledEvent'))); return; }
  const live = state.regs.filter((g) => g.status !== 'cancelled');
  const waiting = sorted(live.filter((g) => g.status === 'waitlisted'));
  const waitPos = new Map(waiting.map((g, i) => [g.id, i + 1]));
  const byReg = new Map(state.att.filter((a) => a.registration_id != null).map((a) => [a.registration_id, a]));
  const regById = new Map(state.regs.map((g) => [g.id, g]));

  // the door: a code typed or pasted (the QR code itself opens /c/{token})
  const code = h('input', {
    type: 'text', class: 'input', test: 'pp-code', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
    placeholder: t('pp.codePlaceholder'), 'aria-label': t('pp.code'), value: state.doorDraft || '',
  });
  // what is typed survives the tab being drawn again after a check-in
  code.addEventListener('input', () => { state.doorDraft = code.value; });
  const result = h('div', { 'aria-live': 'polite', test: 'pp-code-result' });
  const codeBtn = h('button', { type: 'submit', class: 'btn btn-primary pp-go', test: 'pp-code-go' }, t('pp.checkIn'));
  const doorForm = h('form', { class: 'pp-door', novalidate: true }, code, codeBtn);
  // the last answer stays when the tab is drawn again after a check-in
  const show = () => {
    clear(result);
    if (state.door) result.appendChild(h('div', { class: `pp-result pp-result-${state.door.kind}`, test: state.door.test }, state.door.text));
  };
  const say = (kind, text, test) => { state.door = { kind, text, test }; show(); };
  show();
  doorForm.addEventListener('submit', async (evt) => {
    evt.preventDefault();
    const token = parseCheckinCode(code.value);
    if (!token) { say('bad', t('pp.codeBad'), 'pp-code-bad'); code.focus(); return; }
    const sent = code.value;
    codeBtn.disabled = true;
    try {
      const a = await api('POST', `/events/${ev.id}/attendance`, { token });
      const g = a.registration_id != null ? regById.get(a.registration_id) : null;
      const name = a.name || (g && g.name) || '';
      if (g && g.status === 'waitlisted') say('warn', t('pp.doorWaitlisted', { name, n: waitPos.get(g.id) }), 'pp-code-waitlisted');
      else say('ok', t('pp.doorOk', { name }), 'pp-code-ok');
      // cleared for the next person, unless the next code is already being typed
      if (code.value === sent) { code.value = ''; state.doorDraft = ''; }
      state.focusDoor = true;
      reload();
    } catch (e) {
      if (e.status === 401) return;
      if (e.status === 409 && e.field === 'registration_id') say('warn', t('pp.doorAgain'), 'pp-code-again');
      else if (e.status === 409) say('bad', t('pp.doorCancelled'), 'pp-code-refused');
      else if (e.status === 422) say('bad', t('pp.doorUnknown'), 'pp-code-unknown');
      else say('bad', errorText(e), 'pp-code-error');
    } finally {
      codeBtn.disabled = false;
    }
  });

  // roll call
  const search = h('input', {
    type: 'search', class: 'input pp-search', test: 'pp-search', placeholder: t('pp.searchPlaceholder'), 'aria-label': t('pp.searchPlaceholder'),
  });
  const roll = h('ul', { class: 'pp-roll', test: 'pp-roll' });
  const people = [...sorted(live.filter((g) => g.status === 'registered')), ...waiting];
  const personRow = (g) => {
    const a = byReg.get(g.id);
    const sub = [g.phone ? t('pp.phoneTail', { tail: phoneTail(g.phone) }) : null, g.organisation].filter(Boolean).join(' · ');
    return h('li', { class: 'pp-person', test: 'pp-person', 'data-id': String(g.id), 'data-name': g.name || '' },
      h('div', { class: 'pp-who' },
        h('div', { class: 'pp-name' }, g.name || '—',
          g.status === 'waitlisted' ? h('span', { class: 'pp-chip pp-chip-wait', test: 'pp-waitlisted' }, t('pp.waitPos', { n: waitPos.get(g.id) })) : null),
        sub ? h('div', { class: 'pp-sub' }, sub) : null),
      a ? attendedBits(a) : h('button', { type: 'button', class: 'btn btn-primary pp-go', test: 'pp-checkin', onclick: () => checkIn(g) }, t('pp.checkIn')));
  };
  const attendedBits = (a) => [
    h('span', { class: 'pp-done', test: 'pp-attended' }, `✓ ${wallTime(a.checked_in_at)}`),
    h('button', {
      type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'pp-undo', disabled: a.answered,
      title: a.answered ? t('pp.undoAnswered') : null, onclick: () => undo(a),
    }, t('pp.undo'))];
  const drawRoll = () => {
    const q = search.value.trim().toLowerCase();
    const shown = people.filter((g) => !q || (g.name || '').toLowerCase().includes(q) || (q.length >= 3 && /^\d+$/.test(q) && phoneTail(g.phone).endsWith(q)) || (g.phone || '').includes(q));
    clear(roll);
    if (!people.length) roll.appendChild(h('li', { class: 'pp-note' }, t('reg.none')));
    else if (!shown.length) roll.appendChild(h('li', { class: 'pp-note', test: 'pp-roll-none' }, t('pp.searchNone')));
    else roll.append(...shown.map(personRow));
  };
  search.addEventListener('input', drawRoll);
  drawRoll();

  async function checkIn(g) {
    if (g.status === 'waitlisted') {
      const ok = await confirmDialog(t('pp.confirmWaitlisted', { name: g.name || '', n: waitPos.get(g.id) }), { okLabel: t('pp.checkInAnyway') });
      if (!ok) return;
    }
    try {
      await api('POST', `/events/${ev.id}/attendance`, { registration_id: g.id });
      toast(t('pp.checkedIn', { name: g.name || '' }));
    } catch (e) {
      if (e.status === 401) return;
      toast(e.status === 409 ? t('pp.doorAgain') : errorText(e), 'error');
    }
    reload();
  }

  async function undo(a) {
    const name = a.name || (a.registration_id != null && regById.get(a.registration_id) ? regById.get(a.registration_id).name : '');
    if (!await confirmDialog(t('pp.confirmUndo', { name }), { okLabel: t('pp.undo'), danger: true })) return;
    try {
      await api('DELETE', `/attendance/${a.id}`);
      toast(t('pp.undone', { name }));
    } catch (e) {
      if (e.status !== 401) toast(e.status === 409 ? t('pp.undoAnswered') : errorText(e), 'error');
    }
    reload();
  }

  // walk-ins
  const walkName = h('input', { type: 'text', class: 'input', maxlength: 50, test: 'pp-walkin-name', placeholder: t('pp.walkInPlaceholder'), 'aria-label': t('pp.walkInName') });
  const walkBtn = h('button', { type: 'submit', class: 'btn btn-primary pp-go', test: 'pp-walkin-add' }, t('pp.walkInAdd'));
  const walkErr = h('div', { class: 'field-error', test: 'pp-walkin-error', 'aria-live': 'polite' });
  const walkForm = h('form', { class: 'pp-walkin', novalidate: true }, walkName, walkBtn);
  walkForm.addEventListener('submit', async (evt) => {
    evt.preventDefault();
    walkErr.textContent = '';
    const name = walkName.value.trim();
    if (!name) { walkErr.textContent = t('common.required'); walkName.focus(); return; }
    const same = people.find((g) => (g.name || '').trim() === name);
    if (same && !await confirmDialog(t('pp.walkInRegistered', { name }), { okLabel: t('pp.walkInAnyway') })) return;
    walkBtn.disabled = true;
    try {
      await api('POST', `/events/${ev.id}/attendance`, { walk_in: { name } });
      toast(t('pp.walkInDone', { name }));
      walkName.value = '';
      reload();
    } catch (e) {
      if (e.status !== 401) walkErr.textContent = errorText(e);
    } finally {
      walkBtn.disabled = false;
    }
  });
  const walkIns = state.att.filter((a) => a.walk_in);

  if (state.focusDoor) { state.focusDoor = false; queueMicrotask(() => code.focus()); }
  add(box,
    h('section', { class: 'card', test: 'pp-door' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.door'))),
      h('ol', { class: 'pp-steps' }, h('li', null, t('pp.door1')), h('li', null, t('pp.door2')), h('li', null, t('pp.door3'))),
      doorForm, result),
    h('section', { class: 'card', test: 'pp-rollcall' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.rollCall')),
        h('span', { class: 'card-hint', test: 'pp-roll-count' }, t('pp.rollCount', { in: people.filter((g) => byReg.has(g.id)).length, n: people.length }))),
      search, roll),
    h('section', { class: 'card', test: 'pp-walkins' },
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.walkIns')), h('span', { class: 'card-hint' }, t('pp.walkInsHint'))),
      walkForm, walkErr,
      walkIns.length ? h('ul', { class: 'pp-roll', test: 'pp-walkin-list' }, walkIns.map((a) => h('li', { class: 'pp-person', test: 'pp-walkin-row' },
        h('div', { class: 'pp-who' }, h('div', { class: 'pp-name' }, a.name || '—', h('span', { class: 'pp-chip pp-chip-walk' }, t('pp.walkIn')))),
        attendedBits(a)))) : null));
}

/* ---------------------------------------------------------------- 考核 */

function assessTab(box, state, reload) {
  const rows = [...state.att].sort((a, b) => Date.parse(a.checked_in_at) - Date.parse(b.checked_in_at) || a.id - b.id);
  if (!rows.length) { box.appendChild(emptyState(t('pp.assessNone'))); return; }
  const regById = new Map(state.regs.map((g) => [g.id, g]));
  const nameOf = (a) => a.name || (a.registration_id != null && regById.get(a.registration_id) ? regById.get(a.registration_id).name : '—');
  const status = h('div', { class: 'pp-note', test: 'pp-assess-status', 'aria-live': 'polite' });
  const editors = rows.map((a) => {
    const passed = h('select', { class: 'input input-select', test: 'pp-passed', 'aria-label': t('pp.col.passed') },
      [['', 'pp.notAssessed'], ['true', 'pp.passed'], ['false', 'pp.failed']].map(([v, k]) => h('option', {
        value: v, selected: (a.passed == null ? '' : String(a.passed)) === v,
      }, t(k))));
    const score = h('input', {
      type: 'number', class: 'input input-num', min: 0, max: 100, step: 'any', inputmode: 'decimal', test: 'pp-score',
      value: a.score == null ? '' : String(a.score), 'aria-label': t('pp.col.score'),
    });
    const err = h('div', { class: 'field-error', test: 'pp-score-error' });
    const save = h('button', { type: 'button', class: 'btn btn-small', test: 'pp-assess-save', disabled: true }, t('common.save'));
    const orig = () => [a.passed == null ? '' : String(a.passed), a.score == null ? '' : String(a.score)];
    const changed = () => passed.value !== orig()[0] || score.value.trim() !== orig()[1];
    const sync = () => { save.disabled = !changed(); };
    passed.addEventListener('change', sync);
    score.addEventListener('input', sync);
    const body = () => {
      err.textContent = '';
      const out = {};
      if (passed.value !== orig()[0]) out.passed = passed.value === '' ? null : passed.value === 'true';
      if (score.value.trim() !== orig()[1]) {
        const raw = score.value.trim();
        const n = Number(raw);
        if (raw !== '' && (!Number.isFinite(n) || n < 0 || n > 100)) { err.textContent = t('pp.scoreBad'); return null; }
        out.score = raw === '' ? null : n;
      }
      return out;
    };
    const ed = { a, passed, score, err, save, changed, body };
    save.addEventListener('click', async () => {
      const b = body();
      if (!b) { score.focus(); return; }
      if (await saveOne(ed, b)) { toast(t('pp.assessSaved', { name: nameOf(a) })); reload(); }
    });
    return ed;
  });
  async function saveOne(ed, b) {
    ed.save.disabled = true;
    try {
      const r = await api('PATCH', `/attendance/${ed.a.id}`, b);
      Object.assign(ed.a, r || b);
      return true;
    } catch (e) {
      ed.save.disabled = false;
      if (e.status !== 401) ed.err.textContent = e.field === 'score' ? t('pp.scoreBad') : errorText(e);
      return false;
    }
  }
  const saveAll = h('button', { type: 'button', class: 'btn btn-primary', test: 'pp-assess-save-all' }, t('pp.assessSaveAll'));
  saveAll.addEventListener('click', async () => {
    const todo = editors.filter((ed) => ed.changed());
    if (!todo.length) { status.textContent = t('pp.assessNothing'); return; }
    saveAll.disabled = true;
    let n = 0;
    for (const ed of todo) {
      const b = ed.body();
      if (b && await saveOne(ed, b)) n++;
    }
    saveAll.disabled = false;
    if (n === todo.length) { toast(t('pp.assessSavedN', { n })); reload(); } else status.textContent = t('pp.assessSomeFailed', { ok: n, n: todo.length });
  });
  const passedN = rows.filter((a) => a.passed === true).length;
  add(box,
    h('div', { class: 'toolbar' },
      h('p', { class: 'pp-note', test: 'pp-assess-summary' }, t('pp.assessSummary', { n: rows.length, passed: passedN })),
      h('div', { class: 'toolbar-right' }, saveAll)),
    status,
    h('div', { class: 'pp-assess' }, dataTable({
      test: 'pp-assess', rowTest: 'pp-assess-row', caption: t('pp.tab.assess'), rows: editors.map((ed) => ({ id: ed.a.id, ed })),
      columns: [
        { label: t('reg.col.name'), class: 'col-wrap', cell: ({ ed }) => h('span', null, nameOf(ed.a), ed.a.walk_in ? h('span', { class: 'pp-chip pp-chip-walk' }, t('pp.walkIn')) : null) },
        { label: t('pp.col.passed'), cell: ({ ed }) => ed.passed },
        { label: t('pp.col.score'), cell: ({ ed }) => h('span', null, ed.score, ed.err) },
        { label: t('common.actions'), class: 'col-actions', cell: ({ ed }) => ed.save },
      ],
    })));
}

/* ---------------------------------------------------------------- 问卷 */

function surveyTab(box, state, ctx) {
  const { ev } = state;
  const charts = [];
  const links = h('section', { class: 'card', test: 'pp-links' });
  const anon = h('section', { class: 'card', test: 'pp-anon' });
  const results = h('section', { class: 'card', test: 'pp-results' }, loadingState());
  add(box, links, anon, results);

  // each attendee's own link (given out when the event is held)
  const regById = new Map(state.regs.map((g) => [g.id, g]));
  const nameOf = (a) => a.name || (a.registration_id != null && regById.get(a.registration_id) ? regById.get(a.registration_id).name : '—');
  const withToken = state.att.filter((a) => a.survey_token);
  const surveyUrl = (tok) => `${location.origin}/s/${tok}`;
  add(links,
    h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.personal')), h('span', { class: 'card-hint' }, t('pp.personalHint'))),
    ev.status !== 'held'
      ? h('p', { class: 'pp-note', test: 'pp-personal-wait' }, t('pp.personalWait'))
      : withToken.length
        ? dataTable({
          test: 'pp-personal', rowTest: 'pp-personal-row', caption: t('pp.personal'), rows: withToken,
          columns: [
            { label: t('reg.col.name'), class: 'col-wrap', cell: (a) => h('span', null, nameOf(a), a.walk_in ? h('span', { class: 'pp-chip pp-chip-walk' }, t('pp.walkIn')) : null) },
            { label: t('pp.col.answered'), cell: (a) => (a.answered ? h('span', { class: 'pp-chip pp-chip-in', test: 'pp-answered' }, t('pp.answered')) : t('pp.notAnswered')) },
            { label: t('common.actions'), class: 'col-actions', cell: (a) => (a.answered ? '' : h('span', { class: 'row-actions' },
              h('button', { type: 'button', class: 'btn btn-small', test: 'pp-personal-qr', onclick: () => qrDialog(nameOf(a), surveyUrl(a.survey_token)) }, t('pp.showQr')),
              h('button', { type: 'button', class: 'btn btn-small', test: 'pp-personal-copy', onclick: () => copyLink(surveyUrl(a.survey_token)) }, t('common.copy')))) },
          ],
        })
        : h('p', { class: 'pp-note' }, t('pp.personalNone')));

  // the anonymous link: its state is only known once asked for
  const drawAnon = (link) => {
    clear(anon).append(
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.anon')), h('span', { class: 'card-hint' }, t('pp.anonHint'))));
    if (ev.status === 'cancelled') { anon.appendChild(h('p', { class: 'pp-note' }, t('pp.cancelledEvent'))); return; }
    if (!link || !link.enabled) {
      anon.append(
        link ? h('p', { class: 'pp-note', test: 'pp-anon-off' }, t('pp.anonOff')) : h('p', { class: 'pp-note' }, t('pp.anonAsk')),
        h('button', { type: 'button', class: 'btn btn-primary', test: 'pp-anon-on', onclick: () => setAnon(true) }, t(link ? 'pp.anonOnAgain' : 'pp.anonShow')));
      return;
    }
    const input = h('input', { type: 'text', class: 'input', readonly: true, value: link.survey_url, test: 'pp-anon-url', 'aria-label': t('pp.anon') });
    let svg = null;
    try { svg = qrSvg(qrMatrix(link.survey_url), { label: t('pp.qrAlt') }); } catch { svg = null; }
    if (svg) { svg.setAttribute('class', 'pp-qr'); svg.setAttribute('data-test', 'pp-anon-qr'); }
    anon.append(
      h('div', { class: 'pp-link' }, input,
        h('button', { type: 'button', class: 'btn', test: 'pp-anon-copy', onclick: () => copyLink(link.survey_url, input) }, t('common.copy'))),
      svg,
      h('div', { class: 'pp-actions' },
        h('a', { class: 'btn', href: `/poster.html?event=${ev.id}`, target: '_blank', rel: 'noopener', test: 'pp-anon-poster' }, t('pp.poster')),
        h('button', { type: 'button', class: 'btn btn-danger-ghost', test: 'pp-anon-off-btn', onclick: () => setAnon(false) }, t('pp.anonDisable'))),
      ev.status !== 'held' ? h('p', { class: 'pp-note' }, t('pp.anonNotOpen')) : null);
  };
  async function setAnon(enabled) {
    if (!enabled && !await confirmDialog(t('pp.anonDisableConfirm'), { okLabel: t('pp.anonDisable'), danger: true })) return;
    try {
      const r = await api('POST', `/events/${ev.id}/anonymous-survey`, { enabled });
      if (ctx.alive()) drawAnon(r);
      if (!enabled) toast(t('pp.anonDisabled'));
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
  }
  drawAnon(null);

  // results
  // The results name a choice's options by id; their texts are the
  // questionnaire's (read once).
  let optionTexts = null;
  async function loadResults() {
    clear(results).appendChild(loadingState());
    let r;
    try {
      if (!optionTexts) {
        optionTexts = new Map();
        if (ev.survey_template_id != null) {
          const tpl = await api('GET', `/survey-templates/${ev.survey_template_id}`);
          for (const q of tpl.questions || []) optionTexts.set(q.id, q.options || []);
        }
      }
      r = await api('GET', `/events/${ev.id}/survey-results`);
    } catch (e) {
      optionTexts = null;
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, loadResults));
      return;
    }
    if (!ctx.alive()) return;
    for (const c of charts.splice(0)) c.dispose();
    drawResults(r);
  }
  function drawResults(r) {
    const sat = r.satisfaction || {};
    const stat = (label, value, sub, test) => h('div', { class: 'card stat pp-stat' },
      h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value', test }, value), sub ? h('span', { class: 'stat-sub' }, sub) : null);
    const qs = (r.questions || []).filter((q) => q.type === 'likert5' || q.type === 'choice');
    const comments = r.comments || [];
    add(clear(results),
      h('div', { class: 'card-head' }, h('h3', { class: 'card-title' }, t('pp.results')),
        h('a', { class: 'btn btn-small', href: apiUrl(`/events/${ev.id}/survey-results.csv`), download: `survey-${ev.id}.csv`, test: 'pp-results-csv' }, t('pp.resultsCsv'))),
      h('div', { class: 'pp-stats' },
        stat(t('pp.responses'), String(r.responses ?? 0), r.anonymous_responses ? t('pp.anonymousN', { n: r.anonymous_responses }) : null, 'pp-res-responses'),
        stat(t('pp.responseRate'), pct(r.response_rate), t('pp.responseRateHint', { n: r.attendees ?? 0 }), 'pp-res-rate'),
        stat(t('res.rate'), pct(sat.rate), r.paper && r.paper.answers ? t('pp.withPaper', { n: r.paper.answers }) : t('res.rateHint'), 'pp-res-sat')),
      qs.length ? qs.map((q) => questionBlock(q)) : null,
      h('h4', { class: 'section-title' }, t('res.comments')),
      comments.length
        ? h('ul', { class: 'pp-comments', test: 'pp-comments' }, comments.map((c) => h('li', null, c)))
        : h('p', { class: 'pp-note' }, t('res.noComments')));
  }
  function questionBlock(q) {
    const cats = q.type === 'likert5'
      ? LIKERT.map((v) => ({ key: String(v), label: t(`likert.${v}`) }))
      : (q.options || optionTexts.get(q.id) || []).map((o) => ({ key: o.id, label: o.text }));
    if (q.type === 'choice' && !cats.length) for (const k of Object.keys(q.distribution || {})) cats.push({ key: k, label: k });
    const dist = q.distribution || {};
    const values = cats.map((c) => Number(dist[c.key] || 0));
    const chartBox = h('div', { class: 'pp-chart', test: `pp-chart-${q.id}`, role: 'img', 'aria-label': q.text });
    const table = h('ul', { class: 'sr-only' }, cats.map((c, i) => h('li', null, `${c.label}: ${values[i]}`)));
    const block = h('div', { class: 'pp-q', test: `pp-q-${q.id}` },
      h('h4', { class: 'section-title' }, q.text, ' ', h('span', { class: 'pp-note' }, t('pp.answersN', { n: q.answers ?? values.reduce((s, v) => s + v, 0) }))),
      chartBox, table);
    if (window.echarts) {
      queueMicrotask(() => {
        if (!chartBox.isConnected) return;
        const chart = window.echarts.init(chartBox, null, { renderer: 'canvas' });
        charts.push(chart);
        chart.setOption({
          color: ['#2f6fb0'],
          textStyle: { fontFamily: 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
          grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
          tooltip: {
            trigger: 'item',
            // HTML: the question and option texts are escaped
            formatter: (p) => `${esc(q.text)}<br>${esc(cats[p.dataIndex].label)}: ${esc(t('pp.answersN', { n: p.value }))}`,
          },
          xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#4a5563' }, splitLine: { lineStyle: { color: '#e6e9ee' } } },
          yAxis: { type: 'category', inverse: true, data: cats.map((c) => c.label), axisLabel: { color: '#4a5563', width: 120, overflow: 'truncate' } },
          series: [{ type: 'bar', data: values, barMaxWidth: 22, label: { show: true, position: 'right', color: '#1f2933' }, itemStyle: { borderRadius: [0, 4, 4, 0] } }],
          animationDuration: 300,
        });
      });
    } else chartBox.replaceWith(h('div', { class: 'pp-note' }, cats.map((c, i) => `${c.label} ${values[i]}`).join(' · ')));
    return block;
  }
  loadResults().then(async () => {
    // paper tallies, on the questionnaire's questions
    if (!ctx.alive() || ev.status === 'cancelled') return;
    let r;
    try { r = await api('GET', `/events/${ev.id}/survey-results`); } catch { return; }
    if (ctx.alive()) box.appendChild(tallySection({ eventId: ev.id, questions: r.questions, onChange: loadResults, compact: true }));
  });
  const onResize = () => { for (const c of charts) c.resize(); };
  window.addEventListener('resize', onResize);
  return () => { window.removeEventListener('resize', onResize); for (const c of charts.splice(0)) c.dispose(); };
}

async function copyLink(url, input) {
  if (await copyText(url, input)) toast(t('common.copied'));
  else toast(`${t('common.copyFailed')}: ${url}`, 'error');
}

// A big QR code of a link, for a walk-in to scan from the staff's screen.
function qrDialog(name, url) {
  const d = openDialog({ title: t('pp.qrTitle', { name }), test: 'pp-qr-dialog' });
  let svg = null;
  try { svg = qrSvg(qrMatrix(url), { label: t('pp.qrAlt') }); } catch { svg = null; }
  if (svg) svg.setAttribute('class', 'pp-qr-big');
  add(d.body, h('p', { class: 'pp-note' }, t('pp.qrText')), svg, h('p', { class: 'mono pp-note' }, url));
  d.footer.appendChild(h('button', { type: 'button', class: 'btn btn-primary', onclick: d.close }, t('common.close')));
}

// Re-exported for the event detail: how the page is reached.
export const participantsHref = (id, tab) => `#/participants/${id}${tab ? `/${tab}` : ''}`;
