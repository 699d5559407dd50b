// Satisfaction of counselling (#/station-survey/{id}): a station's
// anonymous survey link (create, rotate, disable), its QR code and the
// printable poster, the station's results (online and paper apart and
// together), and the paper-tally form — also used on the event detail
// (tallySection). Coordinators only.
import { h, clear, copyText } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { toast, errorText, loadingState, emptyState, errorState, confirmDialog, dataTable } from '../ui.js';
import { registerView } from '../app.js';
import { todayWall, addDays } from './event-util.js';
import './counselling-i18n.js';

const LIKERT = [5, 4, 3, 2, 1];

export const pct = (rate) => (rate == null ? '—' : t('tally.percent', { n: (Math.round(rate * 1000) / 10).toFixed(1) }));

// The results of a questionnaire (event or station): satisfaction
// together, online and on paper, each likert question's distribution and
// the comments.
export function resultsView(r) {
  const sat = r.satisfaction || {};
  const on = r.satisfaction_online || {};
  const pa = r.satisfaction_paper || {};
  const stat = (label, value, sub, test) => h('div', { class: 'card stat', test },
    h('span', { class: 'stat-label' }, label),
    h('span', { class: 'stat-value' }, value),
    sub ? h('span', { class: 'stat-sub' }, sub) : null);
  const likert = (r.questions || []).filter((q) => q.type === 'likert5');
  const comments = r.comments || [];
  return h('div', { class: 'results-view', test: 'survey-results' },
    h('div', { class: 'stats' },
      stat(t('res.rate'), pct(sat.rate), t('res.rateHint'), 'res-rate'),
      stat(t('res.online'), String(on.total ?? 0), t('tally.rate', { rate: pct(on.rate) }), 'res-online'),
      stat(t('res.paper'), String(pa.total ?? 0), t('tally.rate', { rate: pct(pa.rate) }), 'res-paper')),
    likert.map((q) => h('div', { class: 'res-question', test: `res-q-${q.id}` },
      h('h3', { class: 'section-title' }, q.text),
      dataTable({
        test: 'res-dist', caption: q.text, rows: LIKERT.map((v) => ({ id: v, v })),
        columns: [
          { label: t('res.question'), cell: (x) => t(`likert.${x.v}`) },
          { label: t('res.online'), class: 'col-num', cell: (x) => String((q.online_distribution || {})[x.v] ?? 0) },
          { label: t('res.paper'), class: 'col-num', cell: (x) => String((q.paper_distribution || {})[x.v] ?? 0) },
          { label: t('res.together'), class: 'col-num', cell: (x) => h('strong', null, String((q.distribution || {})[x.v] ?? 0)) },
        ],
      }))),
    h('h3', { class: 'section-title' }, t('res.comments')),
    comments.length
      ? h('ul', { class: 'res-comments', test: 'res-comments' }, comments.map((c) => h('li', null, c)))
      : h('p', { class: 'muted' }, t('res.noComments')));
}

// The paper-tally form and the tallies entered, for {eventId} or
// {stationId}. questions: the questionnaire's questions (from its
// results); onChange runs after a tally is saved or deleted.
export function tallySection({ eventId, stationId, questions, onChange, compact }) {
  const key = eventId ? `event_id=${eventId}` : `station_id=${stationId}`;
  const likert = (questions || []).filter((q) => q.type === 'likert5');
  const box = h('section', { class: 'card tally-card', test: 'tally-section' });
  const list = h('div', { class: 'results' });
  const inputs = {};
  const total = h('strong', { class: 'tally-total', test: 'tally-total' });
  const rate = h('strong', { class: 'tally-rate', test: 'tally-rate' });
  const err = h('div', { class: 'form-error', role: 'alert', test: 'tally-error', hidden: true });
  const date = h('input', { type: 'date', class: 'input input-date', value: todayWall(), max: todayWall(), test: 'tally-date', 'aria-label': t('tally.date') });
  const question = h('select', { class: 'input input-select', test: 'tally-question', 'aria-label': t('tally.question') },
    likert.map((q) => h('option', { value: q.id, selected: q.satisfaction }, q.text)));

  function counts() {
    const c = {};
    for (const v of LIKERT) {
      const raw = inputs[v].value.trim();
      c[v] = raw === '' ? 0 : Number(raw);
    }
    return c;
  }
  function valid(c) {
    return LIKERT.every((v) => Number.isInteger(c[v]) && c[v] >= 0) && LIKERT.some((v) => c[v] > 0);
  }
  function update() {
    const c = counts();
    const ok = LIKERT.every((v) => Number.isInteger(c[v]) && c[v] >= 0);
    const n = ok ? LIKERT.reduce((s, v) => s + c[v], 0) : 0;
    total.textContent = t('tally.total', { n });
    rate.textContent = ok && n > 0 ? t('tally.rate', { rate: pct((c[5] + c[4]) / n) }) : t('tally.rateNone');
  }
  const grid = h('div', { class: 'tally-grid' }, LIKERT.map((v) => {
    inputs[v] = h('input', { type: 'number', class: 'input input-num tally-input', min: 0, step: 1, inputmode: 'numeric', value: '', placeholder: '0', test: `tally-n${v}`, id: `tally-${key}-${v}` });
    inputs[v].addEventListener('input', update);
    return h('label', { class: `tally-cell likert-${v}`, for: `tally-${key}-${v}` }, h('span', { class: 'tally-label' }, t(`likert.${v}`)), inputs[v]);
  }));
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'tally-save' }, t('tally.save'));
  const form = h('form', { class: 'tally-form', novalidate: true, test: 'tally-form' },
    h('div', { class: 'tally-head' },
      h('label', { class: 'field-label' }, t('tally.date'), ' ', date),
      likert.length > 1 ? h('label', { class: 'field-label' }, t('tally.question'), ' ', question) : null),
    grid,
    h('div', { class: 'tally-foot' }, total, ' · ', rate, save),
    err);
  update();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    const c = counts();
    if (!valid(c)) { err.textContent = t('tally.error.counts'); err.hidden = false; inputs[5].focus(); return; }
    const body = { date: date.value, question_id: question.value || (likert[0] && likert[0].id), counts: c };
    if (eventId) body.event_id = eventId; else body.station_id = stationId;
    save.disabled = true;
    try {
      const r = await api('POST', '/surveys/tallies', body);
      toast(t('tally.saved', { n: r.total }));
      for (const v of LIKERT) inputs[v].value = '';
      update();
      loadList();
      if (onChange) onChange();
    } catch (e) {
      if (e.status === 401) return;
      const byField = { counts: 'tally.error.counts', date: 'tally.error.date', event_id: 'tally.error.event_id' };
      err.textContent = byField[e.field] ? `${t(byField[e.field])}（${e.message}）` : errorText(e);
      err.hidden = false;
    } finally {
      save.disabled = false;
    }
  });

  async function loadList() {
    clear(list).appendChild(loadingState());
    let r;
    try {
      r = await api('GET', `/surveys/tallies?${key}&limit=100`);
    } catch (e) {
      if (e.status !== 401) clear(list).appendChild(errorState(e, loadList));
      return;
    }
    clear(list);
    const items = r.items || [];
    if (!items.length) { list.appendChild(emptyState(t('tally.none'))); return; }
    list.appendChild(dataTable({
      test: 'tally-list', rowTest: 'tally-row', rows: items, caption: t('tally.list'),
      columns: [
        { label: t('tally.date'), cell: (x) => x.date },
        ...LIKERT.map((v) => ({ label: t(`likert.${v}`), class: 'col-num', cell: (x) => String(x.counts[v] ?? 0) })),
        { label: t('res.together'), class: 'col-num', cell: (x) => h('strong', null, String(x.total)) },
        { label: t('res.rate'), class: 'col-num', cell: (x) => pct(x.total ? x.satisfied / x.total : null) },
        compact ? null : { label: t('tally.by'), cell: (x) => x.entered_by || '—' },
        { label: t('common.actions'), class: 'col-actions', cell: (x) => h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'tally-delete', onclick: () => remove(x) }, t('tally.delete')) },
      ].filter(Boolean),
    }));
  }

  async function remove(x) {
    if (!await confirmDialog(t('tally.deleteConfirm', { date: x.date, n: x.total }), { okLabel: t('tally.delete'), danger: true })) return;
    try {
      await api('DELETE', `/surveys/tallies/${x.id}`);
      toast(t('tally.deleted'));
      loadList();
      if (onChange) onChange();
    } catch (e) {
      if (e.status !== 401) toast(errorText(e), 'error');
    }
  }

  box.append(
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('tally.title')), h('span', { class: 'card-hint' }, t('tally.hint'))),
    likert.length ? form : emptyState(t('res.none')),
    h('h3', { class: 'section-title' }, t('tally.list')),
    list);
  loadList();
  return box;
}

// The survey results and tallies of an event, for its detail dialog.
export function eventSurveySection(eventId) {
  const wrap = h('div', { class: 'event-survey', test: 'event-survey' }, loadingState());
  (async () => {
    let r;
    try {
      r = await api('GET', `/events/${eventId}/survey-results`);
    } catch (e) {
      if (e.status !== 401) clear(wrap).appendChild(errorState(e));
      return;
    }
    const resBox = h('div', null, resultsView(r));
    const reload = async () => {
      try { clear(resBox).appendChild(resultsView(await api('GET', `/events/${eventId}/survey-results`))); } catch { /* kept */ }
    };
    clear(wrap).append(
      h('h3', { class: 'section-title' }, t('ssv.results')), resBox,
      tallySection({ eventId, questions: r.questions, onChange: reload, compact: true }));
  })();
  return wrap;
}

/* ------------------------------------------------- #/station-survey/{id} */

registerView('station-survey', {
  titleKey: 'ssv.title',
  nav: false,
  async render(el, ctx) {
    const id = Number(ctx.params[0]);
    el.appendChild(loadingState());
    let station;
    try {
      station = await api('GET', `/stations/${id}`);
    } catch (e) {
      if (ctx.alive() && e.status !== 401) clear(el).appendChild(errorState(e, ctx.refresh));
      return undefined;
    }
    if (!ctx.alive()) return undefined;
    const linkBox = h('div', { class: 'results' });
    const resBox = h('div', { class: 'results' });
    const tallyBox = h('div');
    const from = h('input', { type: 'date', class: 'input input-date', value: addDays(todayWall(), -365), test: 'ssv-from', 'aria-label': t('ssv.from') });
    const to = h('input', { type: 'date', class: 'input input-date', value: todayWall(), test: 'ssv-to', 'aria-label': t('ssv.to') });

    clear(el).append(
      h('div', { class: 'toolbar' },
        h('div', { class: 'toolbar-left' },
          h('a', { href: '#/stations', class: 'back-link', test: 'ssv-back' }, t('ssv.back')),
          h('strong', { class: 'ssv-station', test: 'ssv-station' }, station.name))),
      h('section', { class: 'card', test: 'ssv-link-card' },
        h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('ssv.link')), h('span', { class: 'card-hint' }, t('ssv.linkHint'))),
        linkBox),
      h('section', { class: 'card', test: 'ssv-results-card' },
        h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, t('ssv.results')),
          h('span', { class: 'toolbar-left' }, t('ssv.from'), from, t('ssv.to'), to,
            h('button', { type: 'button', class: 'btn btn-small', test: 'ssv-apply', onclick: () => loadResults() }, t('ssv.apply')))),
        resBox),
      tallyBox);

    async function act(method, confirmKey, doneKey) {
      if (confirmKey && !await confirmDialog(t(confirmKey), { danger: true })) return;
      try {
        await api(method, `/stations/${id}/survey-link`);
        toast(t(doneKey));
        loadLink();
      } catch (e) {
        if (e.status !== 401) toast(errorText(e), 'error');
      }
    }

    async function loadLink() {
      clear(linkBox).appendChild(loadingState());
      let l;
      try {
        l = await api('GET', `/stations/${id}/survey-link`);
      } catch (e) {
        if (ctx.alive() && e.status !== 401) clear(linkBox).appendChild(errorState(e, loadLink));
        return;
      }
      if (!ctx.alive()) return;
      clear(linkBox);
      if (!l.enabled) {
        linkBox.append(h('p', { class: 'muted', test: 'ssv-off' }, t('ssv.off')),
          h('button', { type: 'button', class: 'btn btn-primary', test: 'ssv-create', onclick: () => act('POST', null, 'ssv.created') }, t('ssv.create')));
        return;
      }
      const input = h('input', { type: 'text', class: 'input mono', readonly: true, value: l.url, test: 'ssv-url', 'aria-label': t('ssv.link') });
      const copy = h('button', { type: 'button', class: 'btn' }, t('common.copy'));
      copy.addEventListener('click', async () => { if (await copyText(input.value, input)) toast(t('common.copied')); });
      linkBox.append(
        h('div', { class: 'ssv-link' },
          h('img', { class: 'ssv-qr', src: `${l.qr_url}?t=${encodeURIComponent(l.token.slice(0, 8))}`, alt: t('ssv.qrAlt'), width: 168, height: 168, test: 'ssv-qr' }),
          h('div', { class: 'ssv-link-side' },
            h('div', { class: 'copy-box' }, input, copy),
            h('div', { class: 'row-actions ssv-actions' },
              h('a', { class: 'btn btn-primary', href: l.poster_url, target: '_blank', rel: 'noopener', test: 'ssv-poster' }, t('ssv.poster')),
              h('button', { type: 'button', class: 'btn', test: 'ssv-rotate', onclick: () => act('POST', 'ssv.rotateConfirm', 'ssv.rotated') }, t('ssv.rotate')),
              h('button', { type: 'button', class: 'btn btn-danger-ghost', test: 'ssv-disable', onclick: () => act('DELETE', 'ssv.disableConfirm', 'ssv.disabled') }, t('ssv.disable'))))));
    }

    let questions = null;
    async function loadResults() {
      clear(resBox).appendChild(loadingState());
      const qs = new URLSearchParams();
      if (from.value) qs.set('from', from.value);
      if (to.value) qs.set('to', to.value);
      let r;
      try {
        r = await api('GET', `/stations/${id}/survey-results?${qs}`);
      } catch (e) {
        if (ctx.alive() && e.status !== 401) clear(resBox).appendChild(errorState(e, loadResults));
        return;
      }
      if (!ctx.alive()) return;
      clear(resBox).appendChild(resultsView(r));
      if (!questions) {
        questions = r.questions;
        tallyBox.appendChild(tallySection({ stationId: id, questions, onChange: loadResults }));
      }
    }
    loadLink();
    loadResults();
    return undefined;
  },
});
