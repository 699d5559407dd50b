// Sign-ins (issue 17, issue 13 point 2): the 登录账号 part of the
// counsellor form — create a sign-in, reset its password (the new one is
// shown once), disable and enable it — and the 修改密码 dialog a signed-in
// user opens on 我的排班 (old and new password). Everything is built with
// h(); nothing is rendered as HTML.
import { h, clear, copyText } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import {
  toast, openDialog, confirmDialog, errorText, field, setFieldError, clearFormErrors, setFormError, focusError,
} from '../ui.js';
import { counsellorFormParts } from './counsellors.js';
import './accounts-i18n.js';

// The message of a refused password: the server's own (Chinese) words,
// which say what is wrong; otherwise the generic text.
const refusal = (e) => (e && e.status === 422 && e.message ? e.message : errorText(e));

// The 登录账号 part of the counsellor form (editing only).
export function accountSection(c) {
  const box = h('div', { class: 'field form-span account-box', test: 'account-section' },
    h('div', { class: 'field-label' }, t('acct.title')),
    h('p', { class: 'muted', role: 'status' }, t('acct.loading')));
  load();
  return box;

  async function load() {
    let user = null;
    try {
      user = (await api('GET', `/counsellors/${c.id}/account`)).account;
    } catch (e) {
      if (e.status === 401) return;
      clear(box).append(h('div', { class: 'field-label' }, t('acct.title')),
        h('p', { class: 'form-error', role: 'alert' }, errorText(e)));
      return;
    }
    clear(box).appendChild(h('div', { class: 'field-label' }, t('acct.title')));
    if (user) box.appendChild(existing(user));
    else box.appendChild(createForm());
  }

  function existing(u) {
    const state = h('span', { class: u.active ? 'badge badge-on' : 'badge badge-off', test: 'account-state' },
      t(u.active ? 'acct.on' : 'acct.off'));
    const reset = h('button', { type: 'button', class: 'btn btn-small', test: 'account-reset' }, t('acct.reset'));
    const toggle = h('button', { type: 'button', class: u.active ? 'btn btn-small btn-danger-ghost' : 'btn btn-small',
      test: u.active ? 'account-disable' : 'account-enable', disabled: !u.active && !c.active }, t(u.active ? 'acct.disable' : 'acct.enable'));
    reset.addEventListener('click', async () => {
      if (!await confirmDialog(t('acct.confirmReset', { username: u.username }), { okLabel: t('acct.reset'), danger: true })) return;
      try {
        const r = await api('POST', `/users/${u.id}/reset-password`);
        showPassword(u.username, r.password);
        load();
      } catch (e) {
        if (e.status !== 401) toast(errorText(e), 'error');
      }
    });
    toggle.addEventListener('click', async () => {
      if (u.active && !await confirmDialog(t('acct.confirmDisable', { username: u.username }), { okLabel: t('acct.disable'), danger: true })) return;
      try {
        await api('POST', `/users/${u.id}/${u.active ? 'disable' : 'enable'}`);
        toast(t(u.active ? 'acct.disabled' : 'acct.enabled', { username: u.username }));
        load();
      } catch (e) {
        if (e.status !== 401) toast(errorText(e), 'error');
      }
    });
    return h('div', { class: 'account-line' },
      h('span', { class: 'account-name', test: 'account-username' }, t('acct.state', { username: u.username })), ' ', state,
      h('span', { class: 'row-actions' }, reset, toggle));
  }

  function createForm() {
    const username = h('input', { type: 'text', class: 'input', maxlength: 64, autocomplete: 'off', spellcheck: 'false', test: 'account-username-input' });
    const password = h('input', { type: 'password', class: 'input', maxlength: 256, autocomplete: 'new-password', test: 'account-password-input' });
    const create = h('button', { type: 'button', class: 'btn', test: 'account-create' }, t('acct.create'));
    // Not a <form>: it sits inside the counsellor form.
    const part = h('div', { class: 'account-create' },
      h('p', { class: 'muted' }, t('acct.none')),
      h('div', { class: 'form-error', role: 'alert', hidden: true }),
      h('div', { class: 'form-grid' },
        field('account', 'username', t('acct.username'), username, t('acct.usernameHint')),
        field('account', 'password', t('acct.password'), password, t('acct.passwordHint'))),
      h('div', { class: 'form-actions' }, create));
    create.addEventListener('click', async () => {
      clearFormErrors(part);
      const body = { username: username.value.trim(), password: password.value };
      let bad = false;
      if (!/^[A-Za-z0-9_-]{3,64}$/.test(body.username)) { setFieldError(part, 'username', t('acct.error.username')); bad = true; }
      if (body.password.length < 10) { setFieldError(part, 'password', t('acct.passwordHint')); bad = true; }
      if (bad) { focusError(part); return; }
      create.disabled = true;
      try {
        await api('POST', `/counsellors/${c.id}/account`, body);
        toast(t('acct.created', { name: c.name }));
        load();
      } catch (e) {
        create.disabled = false;
        if (e.status === 401) return;
        if (e.status === 409) setFieldError(part, 'username', t('acct.error.taken'));
        else if (e.status === 422 && e.field === 'password') setFieldError(part, 'password', refusal(e));
        else if (e.status === 422 && e.field === 'username') setFieldError(part, 'username', t('acct.error.username'));
        else setFormError(part, errorText(e));
        focusError(part);
      }
    });
    return part;
  }
}

// The new password, shown once, with a copy button.
function showPassword(username, password) {
  const d = openDialog({ title: t('acct.resetTitle'), test: 'account-password-dialog' });
  const input = h('input', { type: 'text', class: 'input mono', readonly: true, value: password, test: 'account-new-password' });
  input.addEventListener('focus', () => input.select());
  const copy = h('button', { type: 'button', class: 'btn', test: 'account-copy' }, t('common.copy'));
  copy.addEventListener('click', async () => { if (await copyText(input.value, input)) copy.textContent = t('common.copied'); });
  d.body.append(h('p', null, t('acct.resetText', { username })), h('div', { class: 'copy-box' }, input, copy));
  d.footer.appendChild(h('button', { type: 'button', class: 'btn btn-primary', test: 'account-password-close', onclick: d.close }, t('common.close')));
}

// 修改密码: the signed-in user's own password.
export function passwordDialog() {
  const d = openDialog({ title: t('pw.title'), test: 'password-dialog' });
  const old = h('input', { type: 'password', class: 'input', autocomplete: 'current-password', maxlength: 256 });
  const fresh = h('input', { type: 'password', class: 'input', autocomplete: 'new-password', maxlength: 256 });
  const again = h('input', { type: 'password', class: 'input', autocomplete: 'new-password', maxlength: 256 });
  const save = h('button', { type: 'submit', class: 'btn btn-primary btn-big', test: 'password-save' }, t('pw.save'));
  const form = h('form', { class: 'form', test: 'password-form', novalidate: true },
    h('div', { class: 'form-error', role: 'alert', test: 'form-error', hidden: true }),
    field('pw', 'old_password', t('pw.old'), old),
    field('pw', 'new_password', t('pw.new'), fresh, t('pw.hint')),
    field('pw', 'again', t('pw.again'), again),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'btn btn-big', test: 'password-cancel', onclick: d.close }, t('common.cancel')), save));
  d.body.appendChild(form);
  d.footer.remove();
  old.focus();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearFormErrors(form);
    if (!old.value) { setFieldError(form, 'old_password', t('common.required')); focusError(form); return; }
    if (fresh.value.length < 10) { setFieldError(form, 'new_password', t('pw.hint')); focusError(form); return; }
    if (fresh.value !== again.value) { setFieldError(form, 'again', t('pw.mismatch')); focusError(form); return; }
    save.disabled = true;
    try {
      await api('PUT', '/me/password', { old_password: old.value, new_password: fresh.value });
      d.close();
      toast(t('pw.saved'));
    } catch (e) {
      save.disabled = false;
      if (e.status === 401) return;
      if (e.status === 422 && e.field && setFieldError(form, e.field, refusal(e))) focusError(form);
      else setFormError(form, errorText(e));
    }
  });
}

// The counsellor form shows the sign-in part when it edits a counsellor.
counsellorFormParts.push((c) => (c ? accountSection(c) : null));
