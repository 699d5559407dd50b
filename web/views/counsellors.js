// Counsellors (#/counsellors): the list with search, station and status
// filters and pages; add and edit in a dialog (name, e-mail, phone, home
// station, weekly hours, the Monday duty mail, the calendar feed link);
// reset the feed link; deactivate and activate again.
import { h, clear, copyText } from '../lib/dom.js';
import { api, listAll } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import {
  errorText, toast, loadingState, openDialog, confirmDialog, field, setFieldError, clearFormErrors,
  showApiError, focusError, statusBadge, dataTable, showPage, setActive, statusFilterSelect, searchInput,
} from '../ui.js';
import { registerView } from '../app.js';
import './counsellors-i18n.js';

const PAGE_SIZE = 20;

const counsellorState = { q: '', active: 'all', station: '', offset: 0 };

registerView('counsellors', {
  titleKey: 'counsellors.title',
  order: 30,
  async render(el, ctx) {
    const st = counsellorState;
    el.appendChild(loadingState());
    let stations = await listAll('/stations');
    if (!ctx.alive()) return undefined;
    const stationById = () => new Map(stations.map((s) => [s.id, s]));
    let byId = stationById();
    const reloadStations = async () => { stations = await listAll('/stations'); byId = stationById(); };

    const results = h('div', { class: 'results' });
    const search = searchInput(st.q, t('counsellors.searchPlaceholder'), 'counsellor-search', (q) => { st.q = q; st.offset = 0; load(); });
    const filter = statusFilterSelect(st.active, 'counsellor-filter', () => { st.active = filter.value; st.offset = 0; load(); });
    const stationFilter = h('select', { class: 'input input-select', test: 'counsellor-station-filter', 'aria-label': t('counsellors.stationFilter') },
      h('option', { value: '' }, t('counsellors.allStations')),
      stations.map((s) => h('option', { value: String(s.id), selected: String(s.id) === st.station },
        s.active ? s.name : t('counsellors.inactiveStation', { name: s.name }))));
    stationFilter.addEventListener('change', () => { st.station = stationFilter.value; st.offset = 0; load(); });
    const openForm = (c) => counsellorForm(c, stations, async () => { await reloadStations().catch(() => {}); load(); });

    clear(el).append(
      h('div', { class: 'toolbar' },
        h('div', { class: 'toolbar-left' }, search, stationFilter, filter),
        h('button', { type: 'button', class: 'btn btn-primary', test: 'counsellor-add', onclick: () => openForm(null) }, '+ ' + t('counsellors.add'))),
      results);

    const stationName = (c) => {
      if (c.home_station_id == null) return h('span', { class: 'muted' }, '—');
      const s = byId.get(c.home_station_id);
      if (!s) return `#${c.home_station_id}`;
      return s.active ? s.name : t('counsellors.inactiveStation', { name: s.name });
    };

    async function load() {
      await showPage(results, {
        path: '/counsellors',
        params: { q: st.q, active: st.active !== 'all' ? st.active : '', station_id: st.station },
        st,
        limit: PAGE_SIZE,
        alive: ctx.alive,
        reload: load,
        empty: st.q || st.active !== 'all' || st.station ? t('common.emptyFiltered') : t('counsellors.empty'),
        table: (items) => dataTable({
          test: 'counsellors-table',
          rowTest: 'counsellor-row',
          caption: t('counsellors.title'),
          rows: items,
          columns: [
            { label: t('counsellors.name'), class: 'col-name', cell: (c) => h('span', { test: 'counsellor-cell-name' }, c.name) },
            { label: t('counsellors.email'), class: 'col-email', cell: (c) => c.email || '' },
            { label: t('counsellors.phone'), cell: (c) => c.phone || '—' },
            { label: t('counsellors.homeStation'), cell: (c) => h('span', { test: 'counsellor-cell-station' }, stationName(c)) },
            { label: t('counsellors.maxWeeklyHours'), class: 'col-num', cell: (c) => t('counsellors.hoursUnit', { hours: c.max_weekly_hours ?? '' }) },
            { label: t('common.status'), cell: (c) => statusBadge(c.active) },
            { label: t('common.actions'), class: 'col-actions', cell: (c) => h('span', { class: 'row-actions' },
              h('button', { type: 'button', class: 'btn btn-small', test: 'counsellor-edit', onclick: () => openForm(c) }, t('common.edit')),
              h('button', { type: 'button', class: 'btn btn-small', test: 'counsellor-rotate', onclick: () => rotateFeed(c, load) }, t('counsellors.rotate')),
              c.active
                ? h('button', { type: 'button', class: 'btn btn-small btn-danger-ghost', test: 'counsellor-deactivate', onclick: () => setCounsellorActive(c, false, load) }, t('common.deactivate'))
                : h('button', { type: 'button', class: 'btn btn-small', test: 'counsellor-activate', onclick: () => setCounsellorActive(c, true, load) }, t('common.activate'))) },
          ],
        }),
      });
    }
    load();
    return undefined;
  },
});

const setCounsellorActive = (c, active, reload) => setActive(`/counsellors/${c.id}`, c, active, 'counsellors', reload);

function feedUrlBox(url) {
  const input = h('input', { type: 'text', class: 'input mono', readonly: true, value: url || '', test: 'feed-url', 'aria-label': t('counsellors.feedUrl') });
  input.addEventListener('focus', () => input.select());
  const btn = h('button', { type: 'button', class: 'btn', test: 'feed-copy' }, t('common.copy'));
  btn.addEventListener('click', async () => {
    const ok = await copyText(input.value, input);
    if (ok) { btn.textContent = t('common.copied'); setTimeout(() => { btn.textContent = t('common.copy'); }, 2000); }
    else toast(t('common.copyFailed'), 'error');
  });
  return h('div', { class: 'copy-box' }, input, btn);
}

async function rotateFeed(c, reload) {
  const ok = await confirmDialog(t('counsellors.confirmRotate', { name: c.name }), { okLabel: t('counsellors.rotate'), danger: true });
  if (!ok) return;
  let r;
  try {
    r = await api('POST', `/counsellors/${c.id}/rotate-feed-token`);
  } catch (e) {
    if (e.status !== 401) toast(errorText(e), 'error');
    return;
  }
  const d = openDialog({ title: t('counsellors.rotated'), test: 'rotate-dialog', wide: true });
  d.body.append(
    h('p', null, t('counsellors.rotatedText', { name: c.name })),
    feedUrlBox((r && r.feed_url) || ''));
  d.footer.appendChild(h('button', { type: 'button', class: 'btn btn-primary', test: 'rotate-close', onclick: d.close }, t('common.close')));
  reload();
}

// Parts other views add to the counsellor form: part(c or null) → Node
// or null (views/accounts.js adds the sign-in).
export const counsellorFormParts = [];

function counsellorForm(c, stations, onSaved) {
  const editing = Boolean(c);
  const d = openDialog({ title: t(editing ? 'counsellors.edit' : 'counsellors.add'), test: 'counsellor-dialog', wide: true });
  const name = h('input', { type: 'text', class: 'input', maxlength: 50, value: editing ? c.name : '' });
  const email = h('input', { type: 'email', class: 'input', maxlength: 254, autocomplete: 'off', spellcheck: 'false', value: editing ? c.email || '' : '' });
  const phone = h('input', { type: 'tel', class: 'input', maxlength: 32, value: editing ? c.phone || '' : '' });
  const home = editing ? c.home_station_id : null;
  const options = stations.filter((s) => s.active || s.id === home);
  const station = h('select', { class: 'input input-select' },
    h('option', { value: '' }, t('counsellors.noStation')),
    options.map((s) => h('option', { value: String(s.id), selected: s.id === home },
      s.active ? `${s.name}（${s.code}）` : t('counsellors.inactiveStation', { name: s.name }))));
  const hours = h('input', { type: 'number', class: 'input input-num', min: 0, max: 80, step: 1, inputmode: 'numeric', value: editing ? String(c.max_weekly_hours ?? 40) : '40' });
  const weekly = h('input', { type: 'checkbox', test: 'counsellor-weekly-mail', checked: editing ? c.weekly_mail !== false : true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', test: 'counsellor-save' }, t('common.save'));
  const form = h('form', { class: 'form', test: 'counsellor-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    h('div', { class: 'form-grid' },
      field('counsellor', 'name', t('counsellors.name'), name),
      field('counsellor', 'email', t('counsellors.email'), email),
      field('counsellor', 'phone', t('counsellors.phone'), phone),
      field('counsellor', 'home_station_id', t('counsellors.homeStation'), station),
      field('counsellor', 'max_weekly_hours', t('counsellors.maxWeeklyHours'), hours),
      h('label', { class: 'field form-span check-line' }, weekly, ' ', t('counsellors.weeklyMail'))),
    editing && c.feed_url ? h('div', { class: 'field form-span' },
      h('div', { class: 'field-label' }, t('counsellors.feedUrl')),
      feedUrlBox(c.feed_url),
      h('div', { class: 'field-hint' }, t('counsellors.feedUrlHint'))) : null,
    counsellorFormParts.map((part) => part(c)),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn', test: 'counsellor-cancel', onclick: d.close }, t('common.cancel')),
      save));
  // stable short hooks for the two fields whose names are long
  station.setAttribute('data-test', 'counsellor-station');
  hours.setAttribute('data-test', 'counsellor-hours');
  d.body.appendChild(form);
  d.footer.remove();
  name.focus();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    const body = {
      name: name.value.trim(),
      email: email.value.trim(),
      phone: phone.value.trim(),
      home_station_id: station.value ? Number(station.value) : null,
      weekly_mail: weekly.checked,
    };
    let bad = false;
    for (const f of ['name', 'email']) if (!body[f]) { setFieldError(form, f, t('common.required')); bad = true; }
    const hv = hours.value.trim();
    if (hv !== '') {
      const n = Number(hv);
      if (!Number.isInteger(n) || n < 0 || n > 80) { setFieldError(form, 'max_weekly_hours', t('counsellors.error.max_weekly_hours')); bad = true; } else body.max_weekly_hours = n;
    }
    if (bad) { focusError(form); return; }
    if (!editing && !body.phone) delete body.phone;
    save.disabled = true;
    save.textContent = t('common.saving');
    try {
      if (editing) await api('PATCH', `/counsellors/${c.id}`, body);
      else await api('POST', '/counsellors', body);
      d.close();
      toast(editing ? t('common.saved') : t('counsellors.created', { name: body.name }));
      onSaved();
    } catch (e) {
      save.disabled = false;
      save.textContent = t('common.save');
      if (e.status === 401) return;
      showApiError(form, e, 'counsellors', (err) => (err.status === 409 && !err.field
        ? { message: t('counsellors.error.conflict') } : null));
    }
  });
}
