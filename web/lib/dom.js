// Building DOM nodes, for the console and every stand-alone page.
//
// No innerHTML anywhere: every node is built with h() (createElement and
// textContent), so data from the API always shows as literal text.
// Importing this module does nothing; every export is a plain function.

// h('button', {class: 'btn', test: 'save', onclick: fn}, 'text', child, …)
// Props: class, text (textContent), test (data-test), value, checked /
// selected / disabled (properties), on<event> functions (listeners);
// true sets an empty attribute, false / null / undefined sets nothing.
// Children: nodes, strings, numbers, nested arrays; null / false skipped.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'test') el.setAttribute('data-test', v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = Boolean(v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  appendChildren(el, children);
  return el;
}

function appendChildren(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) appendChildren(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

// Removes every child of el; returns el.
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A line icon (24×24, stroke) from its path data: svgIcon(['M3 3h7v7H3z', …], 'nav-icon').
export function svgIcon(paths, cls = 'icon') {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: 18, height: 18, fill: 'none', stroke: 'currentColor',
    'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false', class: cls })) {
    svg.setAttribute(k, String(v));
  }
  for (const d of paths) {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

// An <svg> of plain shapes: svgShapes('0 0 10 10', [['rect', {width: 10,
// height: 10, fill: '#fff'}], ['path', {d: 'M1 1h1v1h-1z'}]], {role: 'img'}).
export function svgShapes(viewBox, shapes, attrs = {}) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  for (const [k, v] of Object.entries({ viewBox, ...attrs })) if (v != null && v !== false) svg.setAttribute(k, String(v));
  for (const [tag, a] of shapes) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(a || {})) el.setAttribute(k, String(v));
    svg.appendChild(el);
  }
  return svg;
}

// Adds a <style> element with this id and text to the head, once.
export function ensureStyle(id, css) {
  if (document.getElementById(id)) return;
  const s = document.createElement('style');
  s.id = id;
  s.textContent = css;
  document.head.appendChild(s);
}

// Copies text: the Clipboard API where allowed, else the old
// select-and-execCommand way on input (when given). Resolves whether it
// copied; when both fail the text stays selected in input.
export async function copyText(text, input) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  if (!input) return false;
  input.focus();
  input.select();
  input.setSelectionRange(0, input.value.length);
  try {
    if (document.execCommand('copy')) return true;
  } catch { /* manual copy */ }
  input.focus();
  input.select();
  return false;
}
