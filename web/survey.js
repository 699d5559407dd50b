// /s/{token}: the satisfaction survey on a phone — of an event, or of a
// station's counselling room (source 'counselling', named by the station). likert5 questions are
// five large options (5 = 非常满意 … 1 = 非常不满意), choice questions radio
// buttons, text questions a textarea with a counter.
import { h } from '/lib/dom.js';
import { api } from '/lib/api.js';
import { t } from '/lib/i18n.js';
import { frame, loading, notice, start, pathParam, errorMessage, rangeNodes } from '/public.js';
import '/survey-i18n.js';

const TEXT_MAX = 2000;
const token = pathParam('/s/');
const state = {
  survey: null, error: null, answers: {}, bad: {}, formError: '',
  submitting: false, done: false, focus: null,
};

const len = (s) => [...s].length;

async function load() {
  state.error = null;
  if (!token) { state.error = { status: 404 }; render(); return; }
  try {
    state.survey = await api('GET', `/surveys/${encodeURIComponent(token)}`);
  } catch (e) {
    state.error = e;
  }
  render();
}

function isClosed(e) {
  return e.field === 'closed' || /closed|关闭/i.test(`${e.code || ''} ${e.message || ''}`);
}

function answered(q) {
  const v = state.answers[q.id];
  if (v === undefined || v === null) return false;
  return typeof v === 'string' ? v.trim() !== '' : true;
}

async function submit() {
  if (state.submitting) return;
  const qs = state.survey.questions || [];
  state.bad = {};
  state.formError = '';
  for (const q of qs) {
    if (q.required && !answered(q)) state.bad[q.id] = t('sv.err.required');
    else if (q.type === 'text' && answered(q) && len(state.answers[q.id]) > TEXT_MAX) state.bad[q.id] = t('sv.err.tooLong', { max: TEXT_MAX });
  }
  const firstBad = qs.find((q) => state.bad[q.id]);
  if (firstBad) { state.formError = t('sv.err.form'); state.focus = firstBad.id; render(); return; }
  const answers = {};
  for (const q of qs) {
    if (!answered(q)) continue;
    answers[q.id] = q.type === 'text' ? state.answers[q.id].trim() : state.answers[q.id];
  }
  state.submitting = true;
  render();
  try {
    await api('POST', '/surveys/responses', { token, answers });
    state.done = true;
    state.submitting = false;
    render();
    window.scrollTo(0, 0);
  } catch (e) {
    state.submitting = false;
    if (e.status === 422 && e.field && qs.some((q) => q.id === e.field)) {
      const q = qs.find((x) => x.id === e.field);
      state.bad = { [q.id]: answered(q) ? t('sv.err.invalid') : t('sv.err.required') };
      state.formError = t('sv.err.form');
      state.focus = q.id;
    } else if (e.status === 409 || e.status === 404) {
      state.error = e;
    } else if (e.status === 413) {
      state.formError = t('sv.err.tooLong', { max: TEXT_MAX });
    } else {
      state.formError = e.status === 422 ? t('form.err.other') : errorMessage(e);
    }
    render();
  }
}

function clearBad(q, box) {
  if (!state.bad[q.id]) return;
  delete state.bad[q.id];
  box.classList.remove('q-bad');
  const msg = box.querySelector('.field-error');
  if (msg) msg.remove();
  if (Object.keys(state.bad).length === 0 && state.formError) {
    state.formError = '';
    const top = document.querySelector('[data-test="survey-error"]');
    if (top) top.remove();
  }
}

function optionList(q, box, options) {
  return h('div', { class: q.type === 'likert5' ? 'opts opts-likert' : 'opts', role: 'radiogroup', 'aria-labelledby': `ql-${q.id}`, 'aria-required': q.required ? 'true' : null },
    options.map(([value, label], i) => {
      const id = `q-${q.id}-${i}`;
      const input = h('input', {
        type: 'radio', id, name: `q-${q.id}`, value: String(value), class: 'opt-input',
        checked: state.answers[q.id] === value, test: `q-${q.id}-${value}`,
      });
      input.addEventListener('change', () => { if (input.checked) { state.answers[q.id] = value; clearBad(q, box); } });
      return h('div', { class: 'opt' }, input,
        h('label', { for: id, class: q.type === 'likert5' ? `opt-label likert-${value}` : 'opt-label' },
          h('span', { class: 'opt-dot', 'aria-hidden': 'true' }), h('span', { class: 'opt-text' }, label)));
    }));
}

function question(q, n) {
  const err = state.bad[q.id];
  const box = h('fieldset', { class: err ? 'q q-bad' : 'q', id: `q-${q.id}`, test: `question-${q.id}`, 'data-question': q.id });
  const legend = h('legend', { class: 'q-title', id: `ql-${q.id}` },
    h('span', { class: 'q-num' }, `${n}.`), h('span', { class: 'q-text' }, q.text || ''),
    q.required ? h('span', { class: 'tag tag-req' }, t('sv.required')) : null);
  box.append(legend);
  if (q.type === 'likert5') {
    box.append(optionList(q, box, [5, 4, 3, 2, 1].map((v) => [v, t(`sv.likert.${v}`)])));
  } else if (q.type === 'choice') {
    const opts = Array.isArray(q.options) ? q.options : [];
    box.append(optionList(q, box, opts.map((o) => [String(o.id), o.text || String(o.id)])));
  } else {
    const value = typeof state.answers[q.id] === 'string' ? state.answers[q.id] : '';
    const area = h('textarea', {
      id: `qt-${q.id}`, class: 'input textarea', rows: 5, maxlength: TEXT_MAX, test: `q-${q.id}-text`,
      placeholder: q.required ? null : t('sv.placeholder'), 'aria-labelledby': `ql-${q.id}`,
      'aria-describedby': `qc-${q.id}`, 'aria-required': q.required ? 'true' : null,
    });
    area.value = value;
    const counter = h('p', { class: 'counter', id: `qc-${q.id}`, test: `q-${q.id}-counter` }, t('sv.counter', { n: len(value), max: TEXT_MAX }));
    area.addEventListener('input', () => {
      state.answers[q.id] = area.value;
      const n = len(area.value);
      counter.textContent = t('sv.counter', { n, max: TEXT_MAX });
      counter.classList.toggle('counter-near', n > TEXT_MAX * 0.9);
      if (area.value.trim()) clearBad(q, box);
    });
    box.append(area, counter);
  }
  if (err) box.append(h('p', { class: 'field-error', role: 'alert', test: `error-${q.id}` }, err));
  return box;
}

// Every state of a station's counselling survey says it is anonymous in
// the footer (the event pages speak of an activity's personal data).
function render() {
  draw();
  const foot = state.survey && state.survey.source === 'counselling' ? document.querySelector('footer.foot') : null;
  if (foot) foot.textContent = t('sv.cFooter');
}

function draw() {
  if (state.error) {
    const e = state.error;
    if (e.status === 409 && isClosed(e)) frame(t('sv.closed'), notice('info', t('sv.closed'), t('sv.closedText'), 'survey-closed'));
    else if (e.status === 409) frame(t('sv.answered'), notice('ok', t('sv.answered'), t('sv.answeredText'), 'survey-answered'));
    else if (e.status === 404) frame(t('sv.notFound'), notice('info', t('sv.notFound'), t('sv.notFoundText'), 'survey-missing'));
    else frame('', notice('error', errorMessage(e), '', 'load-error', h('button', { type: 'button', class: 'btn', onclick: load }, t('retry'))));
    return;
  }
  if (state.done) {
    frame(t('sv.thanks'), notice('ok', t('sv.thanks'), t('sv.thanksText'), 'survey-thanks',
      h('p', { class: 'notice-text muted' }, t('sv.close'))));
    return;
  }
  const s = state.survey;
  if (!s) { frame('', loading()); return; }
  const ev = s.event || {};
  const qs = Array.isArray(s.questions) ? s.questions : [];
  const btn = h('button', { type: 'submit', class: 'btn btn-primary btn-block btn-big', disabled: state.submitting, test: 'survey-submit' },
    state.submitting ? t('sv.submitting') : t('sv.submit'));
  const form = h('form', { class: 'survey-form', novalidate: true, test: 'survey-form' },
    qs.map((q, i) => question(q, i + 1)),
    state.formError ? h('p', { class: 'form-error', role: 'alert', test: 'survey-error' }, state.formError) : null,
    btn);
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  // A station's counselling-room survey names the station, not an event.
  const counselling = s.source === 'counselling' && s.station;
  const main = frame(counselling ? t('sv.cTitle') : t('sv.title'),
    h('section', { class: 'card survey-head' },
      h('p', { class: 'eyebrow' }, counselling ? t('sv.cTitle') : t('sv.title')),
      h('h1', { class: 'event-title', test: counselling ? 'survey-station' : 'survey-event' }, counselling ? s.station.name : ev.title || ''),
      ev.start && !counselling ? h('p', { class: 'muted' }, rangeNodes(ev.start, ev.end)) : null,
      h('p', { class: 'hint' }, counselling ? t('sv.cIntro') : t('sv.intro')),
      s.anonymous ? h('p', { class: 'hint', test: 'survey-anonymous' }, t('sv.anonymous')) : null),
    form);
  if (state.focus) {
    const box = main.querySelector(`[data-question="${CSS.escape(state.focus)}"]`);
    state.focus = null;
    if (box) {
      box.scrollIntoView({ block: 'center' });
      const input = box.querySelector('input, textarea');
      if (input) input.focus({ preventScroll: true });
    }
  }
}

start(render);
load();
