// 重点个案 (#/cases, #/cases/{id}): the key-case register of the
// coordinator — a list with status chips, station, counsellor and code
// filters; the case form; the case with its sessions and follow-ups
// (回访); closing with a final status, reopening, deleting a case that has
// no sessions yet. Labels are pseudonymous codes: the form says so and the
// server refuses names, phone and ID numbers.
import { h, clear } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, errorText, loadingState, emptyState, errorState, field, setFieldError,
  clearFormErrors, setFormError, focusError, dataTable, pager,
} from '../ui.js';
import { registerView, navigate } from '../app.js';
import { todayWall, fmtStamp, toRfc, addDays, add } from './event-util.js';
import { segmented } from './roster-util.js';
import './cases-i18n.js';

const PAGE = 20;
const STATUSES = ['open', 'resolved', 'unresolved'];
const KINDS = ['one_to_one', 'home_visit', 'phone', 'group'];
const state = { status: '', station: '', counsellor: '', q: '', offset: 0 };

export const hours = (minutes) => (Math.round((minutes || 0) / 60 * 100) / 100).toFixed(2);
export const caseStatusPill = (s) => h('span', { class: `case-status case-status-${STATUSES.includes(s) ? s : 'open'}`, test: 'case-status' }, t(`cases.status.${s}`));
export const kindText = (k) => (KINDS.includes(k) ? t(`cases.kind.${k}`) : k);

// The Chinese field message of an API error of the case forms.
function caseError(form, e) {
  if (e.status === 409 && e.field === 'label') { setFieldError(form, 'label', t('cases.error.labelTaken')); return focusError(form); }
  if ((e.status === 422 || e.status === 409) && e.field && setFieldError(form, e.field, e.message || t(`cases.error.${e.field}`))) return focusError(form);
  setFormError(form, errorText(e));
  return undefined;
}

registerView('cases', {
  titleKey: 'cases.title',
  navKey: 'nav.cases',
  order: 45,
  icon: ['M9 5H7a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-2', 'M9 3h6v4H9z', 'M9 12h6', 'M9 16h4'],
  async render(el, ctx) {
    el.appendChild(loadingState());
    const [stations, counsellors] = await Promise.all([listAll('/stations'), listAll('/counsellors')]);
    if (!ctx.alive()) return undefined;
    const data = {
      stations, counsellors,
      stationById: new Map(stations.map((s) => [s.id, s])),
      counsellorById: new Map(counsellors.map((c) => [c.id, c])),
    };
    if (ctx.params[0]) {
      caseDetail(el, ctx, Number(ctx.params[0]), data);
      return undefined;
    }
    caseList(el, ctx, data);
    return undefined;
  },
});

function caseList(el, ctx, data) {
  const st = state;
  const results = h('div', { class: 'results' });
  const chips = segmented([['', t('cases.status.all')], ...STATUSES.map((s) => [s, t(`cases.status.${s}`)])], st.status,
    (v) => { st.status = v; st.offset = 0; load(); }, 'case-chip');
  const stationSel = h('select', { class: 'input input-select', test: 'case-station-filter', 'aria-label': t('cases.station') },
    h('option', { value: '' }, t('cases.allStations')),
    data.stations.map((s) => h('option', { value: String(s.id), selected: String(s.id) === st.station }, s.name)));
  stationSel.addEventListener('change', () => { st.station = stationSel.value; st.offset = 0; load(); });
  const counsellorSel = h('select', { class: 'input input-select', test: 'case-counsellor-filter', 'aria-label': t('cases.counsellors') },
    h('option', { value: '' }, t('cases.allCounsellors')),
    data.counsellors.map((c) => h('option', { value: String(c.id), selected: String(c.id) === st.counsellor }, c.name)));
  counsellorSel.addEventListener('change', () => { st.counsellor = counsellorSel.value; st.offset = 0; load(); });
  const search = h('input', { type: 'search', class: 'input input-search', placeholder: t('cases.search'), 'aria-label': t('cases.search'), value: st.q, test: 'case-search' });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { st.q = search.value.trim(); st.offset = 0; load(); }, 300); });

  clear(el).append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-left' }, chips, stationSel, counsellorSel, search),
      h('button', { type: 'button', class: 'btn btn-primary', test: 'case-add', onclick: () => caseForm(null, data, (c) => navigate(`cases/${c.id}`)) }, '+ ' + t('cases.add'))),
    results);

  const names = (c) => (c.counsellor_ids || []).map((id) => (data.counsellorById.get(id) || { name: `#${id}` }).name).join('、') || '—';

  async function load() {
    clear(results).appendChild(loadingState());
    const qs = new URLSearchParams({ limit: String(PAGE), offset: String(st.offset) });
    if (st.status) qs.set('status', st.status);
    if (st.station) qs.set('station_id', st.station);
    if (st.counsellor) qs.set('counsellor_id', st.counsellor);
    if (st.q) qs.set('q', st.q);
    let r;
    try {
      r = await api('GET', '/cases?' + qs);
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(results).appendChild(errorState(e, load));
      return;
    }
    if (!ctx.alive()) return;
    clear(results);
    const items = r.items || [];
    if (!items.length) {
      results.appendChild(emptyState(st.status || st.station || st.counsellor || st.q ? t('common.emptyFiltered') : t('cases.empty')));
      return;
    }
    results.append(dataTable({
      test: 'cases-table', rowTest: 'case-row', rows: items, caption: t('cases.title'),
      columns: [
        { label: t('cases.label'), class: 'col-code', cell: (c) => h('a', { href: `#/cases/${c.id}`, class: 'mono case-link', test: 'case-link' }, c.label) },
        { label: t('common.status'), cell: (c) => caseStatusPill(c.status) },
        { label: t('cases.station'), cell: (c) => c.station_name || '—' },
        { label: t('cases.counsellors'), class: 'col-wrap', cell: (c) => names(c) },
        { label: t('cases.openedOn'), cell: (c) => c.opened_on },
        { label: t('cases.sessionsCol'), cell: (c) => t('cases.sessionsCount', { n: c.session_count, hours: hours(c.session_minutes) }) },
        { label: t('cases.nextFollowUp'), cell: (c) => (c.next_follow_up ? fmtStamp(c.next_follow_up) : '—') },
        { label: t('common.actions'), class: 'col-actions', cell: (c) => h('a', { href: `#/cases/${c.id}`, class: 'btn btn-small', test: 'case-open' }, t('cases.open')) },
      ],
    }), pager({ total: r.total ?? items.length, offset: st.offset, limit: PAGE, onPage: (o) => { st.offset = Math.max(0, o); load(); } }));
  }
  load();
}

// New case (c null) or edit; onSaved(case).
function caseForm(c, data, onSaved) {
  const editing = Boolean(c);
  const d = openDialog({ title: t(editing ? 'cases.edit' : 'cases.add'), test: 'case-dialog', wide: true });
  const label = h('input', { type: 'text', class: 'input mono', maxlength: 24, autocomplete: 'off', spellcheck: 'false', placeholder: '2023-017', value: editing ? c.label : '' });
  const station = h('select', { class: 'input input-select' },
    h('option', { value: '' }, t('cases.noStation')),
    data.stations.filter((s) => s.active || (editing && s.id === c.station_id)).map((s) => h('option', { value: String(s.id), selected: editing && s.id === c.station_id }, s.name)));
  const chosen = new Set(editing ? c.counsellor_ids : []);
  const people = h('div', { class: 'check-grid', test: 'case-counsellors' },
    data.counsellors.filter((p) => p.active || chosen.has(p.id)).map((p) => {
      const box = h('input', { type: 'checkbox', value: String(p.id), checked: chosen.has(p.id), test: `case-counsellor-${p.id}` });
      return h('label', { class: 'check' }, box, ' ', p.name);
    }));
  const opened = h('input', { type: 'date', class: 'input input-date', max: todayWall(), value: editing ? c.opened_on : todayWall() });
  const note = h('textarea', { class: 'input textarea', rows: 3, maxlength: 2000, placeholder: t('cases.noteHint') });
  note.value = editing ? c.note || '' : '';
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'case-save' }, t('common.save'));
  const form = h('form', { class: 'form', test: 'case-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      field('case', 'label', t('cases.label'), label, t('cases.labelHint')),
      field('case', 'station_id', t('cases.station'), station),
      field('case', 'opened_on', t('cases.openedOn'), opened),
      h('div', { class: 'field form-span', 'data-field': 'counsellor_ids' },
        h('div', { class: 'field-label' }, t('cases.counsellors')), people,
        h('div', { class: 'field-error', test: 'error-counsellor_ids' })),
      h('div', { class: 'form-span' }, field('case', 'note', t('cases.note'), note, t('cases.noteHint')))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.cancel')),
      save));
  station.setAttribute('data-test', 'case-station');
  d.body.appendChild(form);
  d.footer.remove();
  label.focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    const body = {
      label: label.value.trim(),
      station_id: station.value ? Number(station.value) : null,
      opened_on: opened.value,
      counsellor_ids: [...people.querySelectorAll('input:checked')].map((x) => Number(x.value)),
      note: note.value.trim(),
    };
    let bad = false;
    if (!/^[A-Za-z0-9_-]{1,24}$/.test(body.label)) { setFieldError(form, 'label', t('cases.error.label')); bad = true; }
    if (!body.opened_on) { setFieldError(form, 'opened_on', t('cases.error.opened_on')); bad = true; }
    if (bad) { focusError(form); return; }
    save.disabled = true;
    try {
      const r = editing ? await api('PATCH', `/cases/${c.id}`, body) : await api('POST', '/cases', body);
      d.close();
      toast(editing ? t('cases.saved') : t('cases.created', { label: r.label }));
      onSaved(r);
    } catch (e) {
      save.disabled = false;
      if (e.status !== 401) caseError(form, e);
    }
  });
}

function closeDialog(c, onDone) {
  const d = openDialog({ title: t('cases.closeTitle'), test: 'case-close-dialog' });
  const resolved = h('input', { type: 'radio', name: 'case-result', value: 'resolved', checked: true, test: 'close-resolved' });
  const unresolved = h('input', { type: 'radio', name: 'case-result', value: 'unresolved', test: 'close-unresolved' });
  const date = h('input', { type: 'date', class: 'input input-date', min: c.opened_on, max: todayWall(), value: todayWall(), test: 'close-date' });
  const ok = h('button', { type: 'submit', class: 'btn btn-primary', test: 'close-ok' }, t('cases.closeOk'));
  const form = h('form', { class: 'form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', hidden: true }),
    h('div', { class: 'field', 'data-field': 'status' },
      h('div', { class: 'field-label' }, t('cases.closeResult')),
      h('label', { class: 'check radio-line' }, resolved, ' ', t('cases.status.resolved')),
      h('label', { class: 'check radio-line' }, unresolved, ' ', t('cases.status.unresolved'))),
    field('close', 'closed_on', t('cases.closedOn'), date),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.cancel')), ok));
  d.body.appendChild(form);
  d.footer.remove();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    ok.disabled = true;
    try {
      await api('PATCH', `/cases/${c.id}`, { status: unresolved.checked ? 'unresolved' : 'resolved', closed_on: date.value });
      d.close();
      toast(t('cases.closed', { label: c.label }));
      onDone();
    } catch (e) {
      ok.disabled = false;
      if (e.status !== 401) caseError(form, e);
    }
  });
}

// A session: date, minutes, kind, note. counsellors: whom it may be
// for (a counsellor gives only themself). Also used in 我的排班.
export function sessionDialog(c, counsellors, onDone, { title } = {}) {
  const d = openDialog({ title: title || t('cases.addSession'), test: 'session-dialog' });
  const date = h('input', { type: 'date', class: 'input input-date input-big', min: c.opened_on, max: todayWall(), value: todayWall() });
  const minutes = h('input', { type: 'number', class: 'input input-num input-big', min: 1, max: 1440, step: 1, inputmode: 'numeric', value: '60' });
  const quick = h('div', { class: 'quick-picks', role: 'group', 'aria-label': t('mycases.minutesQuick') },
    [30, 45, 60, 90].map((m) => h('button', { type: 'button', class: m === 60 ? 'btn quick-pick is-current' : 'btn quick-pick', test: `minutes-${m}`, 'data-minutes': m, onclick: () => { minutes.value = String(m); syncQuick(); } }, t('cases.minutesUnit', { n: m }))));
  const syncQuick = () => { for (const b of quick.children) b.classList.toggle('is-current', b.getAttribute('data-minutes') === minutes.value.trim()); };
  minutes.addEventListener('input', syncQuick);
  const kinds = h('div', { class: 'kind-picks', role: 'radiogroup', 'aria-label': t('cases.kind') },
    KINDS.map((k, i) => h('label', { class: 'kind-pick' },
      h('input', { type: 'radio', name: 'session-kind', value: k, checked: i === 0, test: `kind-${k}` }), h('span', null, kindText(k)))));
  const who = h('select', { class: 'input input-select' }, counsellors.map((p) => h('option', { value: String(p.id) }, p.name)));
  const note = h('textarea', { class: 'input textarea', rows: 2, maxlength: 500, placeholder: t('cases.noteHint') });
  const save = h('button', { type: 'submit', class: 'btn btn-primary btn-big', test: 'session-save' }, t('common.save'));
  const form = h('form', { class: 'form session-form', test: 'session-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    field('session', 'date', t('cases.date'), date),
    field('session', 'minutes', t('cases.minutes'), minutes), quick,
    h('div', { class: 'field', 'data-field': 'kind' }, h('div', { class: 'field-label' }, t('cases.kind')), kinds),
    counsellors.length > 1 ? field('session', 'counsellor_id', t('cases.counsellor'), who) : null,
    field('session', 'note', t('cases.note'), note),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn btn-big', onclick: d.close }, t('common.cancel')), save));
  date.setAttribute('data-test', 'session-date');
  minutes.setAttribute('data-test', 'session-minutes');
  note.setAttribute('data-test', 'session-note');
  d.body.appendChild(form);
  d.footer.remove();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    const n = Number(minutes.value);
    if (!Number.isInteger(n) || n < 1 || n > 1440) { setFieldError(form, 'minutes', t('cases.error.minutes')); focusError(form); return; }
    const body = {
      date: date.value, minutes: n,
      kind: form.querySelector('input[name="session-kind"]:checked').value,
      counsellor_id: Number(who.value || (counsellors[0] && counsellors[0].id)),
    };
    if (note.value.trim()) body.note = note.value.trim();
    save.disabled = true;
    try {
      await api('POST', `/cases/${c.id}/sessions`, body);
      d.close();
      toast(t('cases.sessionAdded'));
      onDone();
    } catch (e) {
      save.disabled = false;
      if (e.status !== 401) caseError(form, e);
    }
  });
}

function followUpDialog(c, counsellors, onDone) {
  const d = openDialog({ title: t('cases.addFollowUp'), test: 'follow-up-dialog' });
  const date = h('input', { type: 'date', class: 'input input-date', value: addDays(todayWall(), 7), test: 'follow-up-date' });
  const time = h('input', { type: 'time', class: 'input', value: '10:00', step: 300, test: 'follow-up-time' });
  const who = h('select', { class: 'input input-select', test: 'follow-up-counsellor' }, counsellors.map((p) => h('option', { value: String(p.id) }, p.name)));
  const note = h('textarea', { class: 'input textarea', rows: 2, maxlength: 500, placeholder: t('cases.noteHint'), test: 'follow-up-note' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'follow-up-save' }, t('common.save'));
  const form = h('form', { class: 'form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      field('fu', 'due', t('cases.dueDate'), date),
      field('fu', 'time', t('cases.dueTime'), time),
      field('fu', 'counsellor_id', t('cases.counsellor'), who),
      h('div', { class: 'form-span' }, field('fu', 'note', t('cases.note'), note))),
    h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'btn', onclick: d.close }, t('common.cancel')), save));
  d.body.appendChild(form);
  d.footer.remove();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    if (!date.value || !time.value) { setFieldError(form, 'due', t('cases.error.due')); focusError(form); return; }
    const body = { due: toRfc(date.value, time.value.slice(0, 5)), counsellor_id: Number(who.value) };
    if (note.value.trim()) body.note = note.value.trim();
    save.disabled = true;
    try {
      await api('POST', `/cases/${c.id}/follow-ups`, body);
      d.close();
      toast(t('cases.followUpAdded'));
      onDone();
    } catch (e) {
      save.disabled = false;
      if (e.status !== 401) caseError(form, e);
    }
  });
}

export function followUpState(f) {
  if (f.done) return h('span', { class: 'case-status case-status-resolved', test: 'follow-up-state' }, t('cases.done'));
  if (Date.parse(f.due) < Date.now()) return h('span', { class: 'case-status case-status-unresolved', test: 'follow-up-state' }, t('cases.overdue'));
  return h('span', { class: 'case-status case-status-open', test: 'follow-up-state' }, t('cases.pending'));
}

async function caseDetail(el, ctx, id, data) {
  clear(el).appendChild(loadingState());
  let c;
  try {
    c = await api('GET', `/cases/${id}`);
  } catch (e) {
    if (ctx.alive() && e.status !== 401) clear(el).append(h('a', { href: '#/cases', class: 'back-link' }, t('cases.back')), errorState(e, ctx.refresh));
    return;
  }
  if (!ctx.alive()) return;
  const reload = () => caseDetail(el, ctx, id, data);
  const onCase = (c.counsellor_ids || []).map((cid) => data.counsellorById.get(cid) || { id: cid, name: `#${cid}` });
  const open = c.status === 'open';
  const btn = (test, label, cls, fn) => h('button', { type: 'button', class: `btn ${cls}`, test, onclick: fn }, label);

  const sessions = (c.sessions || []).length
    ? dataTable({
      test: 'case-sessions', rowTest: 'session-row', rows: c.sessions, caption: t('cases.sessions'),
      columns: [
        { label: t('cases.date'), cell: (x) => x.date },
        { label: t('cases.minutes'), class: 'col-num', cell: (x) => String(x.minutes) },
        { label: t('cases.kind'), cell: (x) => kindText(x.kind) },
        { label: t('cases.counsellor'), cell: (x) => x.counsellor_name || '—' },
        { label: t('cases.note'), class: 'col-wrap', cell: (x) => x.note || '—' },
        { label: t('common.actions'), class: 'col-actions', cell: (x) => btn('session-delete', t('cases.sessionDelete'), 'btn-small btn-danger-ghost', async () => {
          if (!await confirmDialog(t('cases.sessionDeleteConfirm', { date: x.date }), { danger: true })) return;
          try { await api('DELETE', `/cases/${c.id}/sessions/${x.id}`); toast(t('cases.sessionDeleted')); reload(); } catch (e) { if (e.status !== 401) toast(errorText(e), 'error'); }
        }) },
      ],
    })
    : emptyState(t('cases.noSessions'));
  const followUps = (c.follow_ups || []).length
    ? dataTable({
      test: 'case-follow-ups', rowTest: 'follow-up-row', rows: c.follow_ups, caption: t('cases.followUps'),
      columns: [
        { label: t('cases.due'), cell: (f) => fmtStamp(f.due) },
        { label: t('cases.counsellor'), cell: (f) => f.counsellor_name || '—' },
        { label: t('common.status'), cell: (f) => followUpState(f) },
        { label: t('cases.note'), class: 'col-wrap', cell: (f) => f.note || '—' },
        { label: t('common.actions'), class: 'col-actions', cell: (f) => h('span', { class: 'row-actions' },
          btn('follow-up-done', f.done ? t('cases.undo') : t('cases.markDone'), 'btn-small', async () => {
            try { await api('PATCH', `/cases/${c.id}/follow-ups/${f.id}`, { done: !f.done }); toast(t(f.done ? 'cases.unmarked' : 'cases.marked')); reload(); } catch (e) { if (e.status !== 401) toast(errorText(e), 'error'); }
          }),
          btn('follow-up-delete', t('cases.followUpDelete'), 'btn-small btn-danger-ghost', async () => {
            if (!await confirmDialog(t('cases.followUpDeleteConfirm', { when: fmtStamp(f.due) }), { danger: true })) return;
            try { await api('DELETE', `/cases/${c.id}/follow-ups/${f.id}`); toast(t('cases.followUpDeleted')); reload(); } catch (e) { if (e.status !== 401) toast(errorText(e), 'error'); }
          })) },
      ],
    })
    : emptyState(t('cases.noFollowUps'));

  add(clear(el),
    h('div', { class: 'toolbar' },
      h('div', { class: 'toolbar-left' },
        h('a', { href: '#/cases', class: 'back-link', test: 'case-back' }, t('cases.back'))),
      h('div', { class: 'toolbar-right row-actions' },
        btn('case-edit', t('common.edit'), '', () => caseForm(c, data, reload)),
        open ? btn('case-close', t('cases.close'), 'btn-primary', () => closeDialog(c, reload))
          : btn('case-reopen', t('cases.reopen'), '', async () => {
            try { await api('PATCH', `/cases/${c.id}`, { status: 'open' }); toast(t('cases.reopened', { label: c.label })); reload(); } catch (e) { if (e.status !== 401) toast(errorText(e), 'error'); }
          }),
        c.session_count === 0 ? btn('case-delete', t('cases.delete'), 'btn-danger-ghost', async () => {
          if (!await confirmDialog(t('cases.deleteConfirm', { label: c.label }), { danger: true })) return;
          try { await api('DELETE', `/cases/${c.id}`); toast(t('cases.deleted', { label: c.label })); navigate('cases'); } catch (e) { if (e.status !== 401) toast(errorText(e), 'error'); }
        }) : null)),
    h('section', { class: 'card', test: 'case-detail' },
      h('div', { class: 'detail-head' }, h('h2', { class: 'card-title mono', test: 'case-title' }, c.label), caseStatusPill(c.status),
        h('span', { class: 'muted', test: 'case-summary' }, t('cases.summary', { n: c.session_count, hours: hours(c.session_minutes) }))),
      h('dl', { class: 'detail-grid' },
        h('dt', null, t('cases.station')), h('dd', null, c.station_name || '—'),
        h('dt', null, t('cases.counsellors')), h('dd', null, onCase.map((p) => p.name).join('、') || '—'),
        h('dt', null, t('cases.openedOn')), h('dd', { test: 'case-opened' }, c.opened_on),
        h('dt', null, t('cases.closedOn')), h('dd', { test: 'case-closed' }, c.closed_on || '—'),
        h('dt', null, t('cases.note')), h('dd', { class: 'pre' }, c.note || '—'))),
    h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('cases.sessions')),
        onCase.length ? btn('case-add-session', '+ ' + t('cases.addSession'), 'btn-small btn-primary', () => sessionDialog(c, onCase, reload)) : null),
      sessions),
    h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('cases.followUps')),
        onCase.length ? btn('case-add-follow-up', '+ ' + t('cases.addFollowUp'), 'btn-small btn-primary', () => followUpDialog(c, onCase, reload)) : null),
      followUps));
}
