// Stations (#/stations): the list with search, status filter and pages;
// add and edit in a dialog (code, name, kind, time zone, address);
// deactivate (kept in the history) and activate again; a link to the
// station's counselling survey.
import { h } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import {
  toast, openDialog, field, setFieldError, clearFormErrors, showApiError, focusError, statusBadge, dataTable,
  showPage, setActive, statusFilterSelect, searchInput,
} from '../ui.js';
import { registerView } from '../app.js';
import './stations-i18n.js';

const STATION_KINDS = ['hall', 'street', 'service_point'];
const TIMEZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei', 'UTC'];
const PAGE_SIZE = 20;

const kindLabel = (k) => (STATION_KINDS.includes(k) ? t(`stations.kind.${k}`) : k || '');

const stationState = { q: '', active: 'all', offset: 0 };

registerView('stations', {
  titleKey: 'stations.title',
  order: 20,
  render(el, ctx) {
    const st = stationState;
    const results = h('div', { class: 'results' });
    const search = searchInput(st.q, t('stations.searchPlaceholder'), 'station-search', (q) => { st.q = q; st.offset = 0; load(); });
    const filter = statusFilterSelect(st.active, 'station-filter', () => { st.active = filter.value; st.offset = 0; load(); });
    el.append(
      h('div', { class: 'toolbar' },
        h('div', { class: 'toolbar-left' }, search, filter),
        h('button', { type: 'button', class: 'btn btn-primary', test: 'station-add', onclick: () => stationForm(null, load) }, '+ ' + t('stations.add'))),
      results);

    async function load() {
      await showPage(results, {
        path: '/stations',
        params: { q: st.q, active: st.active !== 'all' ? st.active : '' },
        st,
        limit: PAGE_SIZE,
        alive: ctx.alive,
        reload: load,
        empty: st.q || st.active !== 'all' ? t('common.emptyFiltered') : t('stations.empty'),
        table: (items) => dataTable({
          test: 'stations-table',
          rowTest: 'station-row',
          caption: t('stations.title'),
          rows: items,
          columns: [
            { label: t('stations.code'), class: 'col-code', cell: (s) => h('span', { class: 'mono' }, s.code) },
            { label: t('stations.name'), class: 'col-name', cell: (s) => h('span', { test: 'station-cell-name' }, s.name) },
            { label: t('stations.kind'), cell: (s) => kindLabel(s.kind) },
            { label: t('stations.address'), class: 'col-wrap', cell: (s) => s.address || '—' },
            { label: t('stations.timezone'), cell: (s) => s.timezone || '' },
            { label: t('common.status'), cell: (s) => statusBadge(s.active) },
            { label: t('common.actions'), class: 'col-actions', cell: (s) => h('span', { class: 'row-actions' },
              h('button', { type: 'button', class: 'btn btn-small', test: 'station-edit', onclick: () => stationForm(s, load) }, t('common.edit')),
              h('a', { class: 'btn btn-small', href: `#/station-survey/${s.id}`, test: 'station-survey' }, t('stations.survey')),
              s.active
                ? h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'station-deactivate', onclick: () => setStationActive(s, false, load) }, t('common.deactivate'))
                : h('button', { type: 'button', class: 'btn btn-small', test: 'station-activate', onclick: () => setStationActive(s, true, load) }, t('common.activate'))) },
          ],
        }),
      });
    }
    load();
    return undefined;
  },
});

const setStationActive = (s, active, reload) => setActive(`/stations/${s.id}`, s, active, 'stations', reload);

function stationForm(station, onSaved) {
  const editing = Boolean(station);
  const d = openDialog({ title: t(editing ? 'stations.edit' : 'stations.add'), test: 'station-dialog' });
  const code = h('input', { type: 'text', class: 'input', maxlength: 32, autocomplete: 'off', spellcheck: 'false', value: editing ? station.code : '' });
  const name = h('input', { type: 'text', class: 'input', maxlength: 100, value: editing ? station.name : '' });
  const kind = h('select', { class: 'input input-select' },
    h('option', { value: '', disabled: true, selected: !editing }, t('common.choose')),
    STATION_KINDS.map((k) => h('option', { value: k, selected: editing && station.kind === k }, t(`stations.kind.${k}`))));
  const address = h('input', { type: 'text', class: 'input', maxlength: 200, value: editing ? station.address || '' : '' });
  const listId = 'tz-list';
  const tz = h('input', { type: 'text', class: 'input', list: listId, autocomplete: 'off', spellcheck: 'false', value: editing ? station.timezone || 'Asia/Shanghai' : 'Asia/Shanghai' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'station-save' }, t('common.save'));
  const form = h('form', { class: 'form', test: 'station-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      field('station', 'code', t('stations.code'), code, t('stations.codeHint')),
      field('station', 'name', t('stations.name'), name),
      field('station', 'kind', t('stations.kind'), kind),
      field('station', 'timezone', t('stations.timezone'), tz, t('stations.timezoneHint')),
      h('div', { class: 'form-span' }, field('station', 'address', t('stations.address'), address))),
    h('datalist', { id: listId }, TIMEZONES.map((z) => h('option', { value: z }))),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'station-cancel', onclick: d.close }, t('common.cancel')),
      save));
  d.body.appendChild(form);
  d.footer.remove();
  (editing ? name : code).focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    const body = {
      code: code.value.trim(),
      name: name.value.trim(),
      kind: kind.value,
      address: address.value.trim(),
      timezone: tz.value.trim() || 'Asia/Shanghai',
    };
    let bad = false;
    for (const f of ['code', 'name', 'kind']) if (!body[f]) { setFieldError(form, f, t('common.required')); bad = true; }
    if (bad) { focusError(form); return; }
    if (!editing && !body.address) delete body.address;
    save.disabled = true;
    save.textContent = t('common.saving');
    try {
      if (editing) await api('PATCH', `/stations/${station.id}`, body);
      else await api('POST', '/stations', body);
      d.close();
      toast(editing ? t('common.saved') : t('stations.created', { name: body.name }));
      onSaved();
    } catch (e) {
      save.disabled = false;
      save.textContent = t('common.save');
      if (e.status === 401) return;
      showApiError(form, e, 'stations', (err) => (err.status === 409 && (!err.field || err.field === 'code')
        ? { field: 'code', message: t('stations.error.codeTaken') } : null));
    }
  });
}
