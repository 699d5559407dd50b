// The participants of an activity and the channels their messages took
// (e-mail, SMS), for the event detail of the activities view: GET
// /api/v1/events/{id}/registrations gives each registration with
// `channels` [{channel, queued, sent}] and `sms` (false: SMS refused).
// Names and numbers are personal data from the server: text only.
import { h, clear, ensureStyle } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { loadingState, errorText, dataTable } from '../ui.js';
import './channels-i18n.js';

const STYLE = `
.rg-chips { display: flex; flex-wrap: wrap; gap: 4px; }
.rg-chip { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 12.5px; font-weight: 600; white-space: nowrap; }
.rg-chip-email { color: #344054; background: #eef1f5; }
.rg-chip-sms { color: #6b3d00; background: #fff1dc; }
.rg-chip-off { color: #667085; background: #f2f4f7; text-decoration: line-through; }
.rg-contact { font-size: 12.5px; color: #475467; overflow-wrap: anywhere; }
`;


function chips(reg) {
  const out = (reg.channels || []).map((c) => h('span', {
    class: `rg-chip rg-chip-${c.channel === 'sms' ? 'sms' : 'email'}`, test: `reg-channel-${c.channel}`,
    title: t('reg.sentOf', { sent: c.sent, queued: c.queued }),
  }, `${t(`channel.${c.channel}`)} ${c.sent}/${c.queued}`));
  if (reg.phone && reg.sms === false) out.push(h('span', { class: 'rg-chip rg-chip-off', test: 'reg-sms-off' }, t('reg.smsOff')));
  return out.length ? h('span', { class: 'rg-chips' }, out) : h('span', { class: 'muted' }, '—');
}

// A section that loads and shows the registrations of event id.
export function registrationsSection(id) {
  ensureStyle('rg-style', STYLE);
  const box = h('div', { test: 'event-registrations' }, loadingState());
  (async () => {
    let r;
    try {
      r = await api('GET', `/events/${id}/registrations`);
    } catch (e) {
      if (e.status === 401) return;
      clear(box).appendChild(h('div', { class: 'state state-error' }, errorText(e)));
      return;
    }
    const items = (r && r.items) || [];
    if (items.length === 0) { clear(box).appendChild(h('p', { class: 'muted', test: 'event-registrations-empty' }, t('reg.none'))); return; }
    clear(box).appendChild(dataTable({
      test: 'event-registrations-table',
      rowTest: 'event-registration-row',
      caption: t('reg.sectionTitle'),
      rows: items,
      columns: [
        { label: t('reg.col.name'), cell: (g) => g.name || '—' },
        { label: t('reg.col.status'), cell: (g) => t(`reg.status.${g.status}`) },
        { label: t('reg.col.contact'), class: 'col-wrap', cell: (g) => h('span', { class: 'rg-contact' }, [g.phone, g.email].filter(Boolean).join(' · ') || '—') },
        { label: t('reg.col.channels'), cell: chips },
      ],
    }));
  })();
  return [h('h3', { class: 'section-title' }, t('reg.sectionTitle')), box];
}
