// The one translation engine of the console and of every page: t(),
// the languages (zh-CN first, English second), the choice kept in
// localStorage ("hearth.lang", shared by the console and the public
// pages) and listeners of a change.
//
// Strings come from message files (web/**/<name>-i18n.js), which call
// addMessages(lang, {key: text}) when they are imported. Importing this
// module does nothing: the stored choice is read on first use and a page
// sets <html lang> by calling applyLang() when it starts.

const STORE_KEY = 'hearth.lang';
export const DEFAULT_LANG = 'zh-CN';

// The labels of the language switch are shown in their own language.
export const LANGS = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
];

const messages = { 'zh-CN': {}, en: {} };
const listeners = new Set();
let current = null;

function loadLang() {
  let stored = null;
  try { stored = window.localStorage.getItem(STORE_KEY); } catch { /* storage blocked */ }
  return LANGS.some((l) => l.code === stored) ? stored : DEFAULT_LANG;
}

export function getLang() {
  if (current === null) current = loadLang();
  return current;
}

// Sets <html lang> to the current language.
export function applyLang() {
  document.documentElement.lang = getLang();
}

export function setLang(code) {
  if (!LANGS.some((l) => l.code === code) || code === getLang()) return;
  current = code;
  try { window.localStorage.setItem(STORE_KEY, code); } catch { /* storage blocked */ }
  applyLang();
  for (const fn of listeners) fn(code);
}

// Calls fn(lang) after every language change; returns an unsubscribe function.
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Adds or overrides strings of one language.
export function addMessages(code, dict) {
  messages[code] = Object.assign(messages[code] || {}, dict);
}

export function has(key) {
  return key in (messages[getLang()] || {}) || key in messages[DEFAULT_LANG];
}

// t('stations.created', {name}): falls back to zh-CN, then to the key itself.
export function t(key, params) {
  const table = messages[getLang()] || {};
  let s = key in table ? table[key] : (messages[DEFAULT_LANG][key] ?? key);
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}
