// 我的排班, the counsellor's part of the key-case register: the cases they
// are on (add a session on the phone) and their follow-ups (回访) with a
// "done" button. Kept apart from my-roster.js, which only places the
// section (myCasesSection) under its own cards.
import { h, clear } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { toast, errorText, loadingState, emptyState, errorState } from '../ui.js';
import { fmtStamp } from './event-util.js';
import { caseStatusPill, hours, sessionDialog, followUpState } from './cases.js';
import './my-cases-i18n.js';

// me: the GET /me record ({id, name, …}).
export function myCasesSection(me) {
  const casesBox = h('div', { class: 'results' });
  const fuBox = h('div', { class: 'results' });
  const self = [{ id: me.id, name: me.name }];

  async function loadCases() {
    clear(casesBox).appendChild(loadingState());
    let items;
    try {
      items = await listAll('/cases?status=open');
    } catch (e) {
      if (e.status !== 401) clear(casesBox).appendChild(errorState(e, loadCases));
      return;
    }
    clear(casesBox);
    if (!items.length) { casesBox.appendChild(emptyState(t('mycases.empty'))); return; }
    casesBox.appendChild(h('ul', { class: 'my-cases', test: 'my-cases' }, items.map((c) => h('li', { class: 'my-case', test: 'my-case', 'data-id': c.id },
      h('div', { class: 'my-case-head' }, h('strong', { class: 'mono' }, c.label), caseStatusPill(c.status)),
      h('div', { class: 'muted' }, c.station_name || '', c.station_name ? ' · ' : '', t('cases.summary', { n: c.session_count, hours: hours(c.session_minutes) })),
      c.next_follow_up ? h('div', { class: 'muted' }, `${t('cases.nextFollowUp')}：${fmtStamp(c.next_follow_up)}`) : null,
      h('button', { type: 'button', class: 'btn btn-primary btn-big btn-block', test: 'my-case-session',
        onclick: () => sessionDialog(c, self, () => { toast(t('mycases.saved')); loadCases(); }, { title: t('mycases.sessionTitle', { label: c.label }) }) },
      '+ ' + t('cases.addSession'))))));
  }

  async function setDone(f, done) {
    try {
      await api('PATCH', `/cases/${f.case_id}/follow-ups/${f.id}`, { done });
      toast(t(done ? 'cases.marked' : 'cases.unmarked'));
      loadFollowUps();
      loadCases();
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
  }

  async function loadFollowUps() {
    clear(fuBox).appendChild(loadingState());
    let r;
    try {
      r = await api('GET', '/me/follow-ups');
    } catch (e) {
      if (e.status !== 401) clear(fuBox).appendChild(errorState(e, loadFollowUps));
      return;
    }
    clear(fuBox);
    // Open ones first (earliest due), then the last few done.
    const items = (r.items || []).filter((f) => !f.done)
      .concat((r.items || []).filter((f) => f.done).sort((a, b) => Date.parse(b.due) - Date.parse(a.due)).slice(0, 5));
    if (!items.length) { fuBox.appendChild(emptyState(t('mycases.noFollowUps'))); return; }
    fuBox.appendChild(h('ul', { class: 'my-cases', test: 'my-follow-ups' }, items.map((f) => h('li', { class: f.done ? 'my-case is-done' : 'my-case', test: 'my-follow-up', 'data-id': f.id },
      h('div', { class: 'my-case-head' }, h('strong', null, t('mycases.followUpTitle', { label: f.label })), followUpState(f)),
      h('div', { class: 'my-case-when', test: 'my-follow-up-when' }, fmtStamp(f.due)),
      f.note ? h('div', { class: 'muted' }, f.note) : null,
      f.done
        ? h('button', { type: 'button', class: 'btn btn-big btn-block', test: 'my-follow-up-undo', onclick: () => setDone(f, false) }, t('cases.undo'))
        : h('button', { type: 'button', class: 'btn btn-primary btn-big btn-block', test: 'my-follow-up-done', onclick: () => setDone(f, true) }, '✓ ' + t('cases.markDone'))))));
  }

  loadCases();
  loadFollowUps();
  return h('div', { class: 'two-col my-cases-section', test: 'my-cases-section' },
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('mycases.followUps')), h('span', { class: 'card-hint' }, t('mycases.followUpsHint'))), fuBox),
    h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('mycases.title')), h('span', { class: 'card-hint' }, t('mycases.hint'))), casesBox));
}
