// The one client of the JSON API (/api/v1), for the console and every page.
//
// api('GET', '/stations?limit=20') resolves to the parsed JSON (null for an
// empty or non-JSON body) and throws ApiError for a network failure
// (status 0) or an answer that is not 2xx. A 401 also calls the handler set
// with setUnauthorizedHandler (the console's: back to the login page)
// unless opts.allow401 is set. Importing this module does nothing.

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, code, message, field, retryAfter, detail) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.retryAfter = retryAfter || null;
    // the whole error object of the body (conflicts, errors, …)
    this.detail = detail || {};
  }
}

let onUnauthorized = null;

// fn(apiError) is called on every 401 a request does not allow; null: none.
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

// The URL of an API path, for links and downloads: apiUrl('/events.csv?from=…').
export function apiUrl(path) {
  return BASE + path;
}

// opts: contentType sends body as it is (a CSV or iCalendar string, bytes)
// with that Content-Type instead of as JSON; as: 'text' resolves to the
// body text instead of JSON; accept sets the Accept header; credentials
// 'omit' sends no cookie (default 'same-origin'); allow401 (see above).
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: opts.accept || 'application/json' };
  const init = { method, credentials: opts.credentials || 'same-origin', headers, cache: 'no-store' };
  if (body !== undefined && opts.contentType) {
    headers['Content-Type'] = opts.contentType;
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(apiUrl(path), init);
  } catch (e) {
    throw new ApiError(0, 'network', String(e && e.message ? e.message : e));
  }
  const text = await res.text();
  let data = null;
  if (text && (opts.as !== 'text' || !res.ok)) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const e = new ApiError(res.status, err.code || `http_${res.status}`,
      err.message || res.statusText, err.field, res.headers.get('Retry-After'), err);
    if (res.status === 401 && !opts.allow401 && onUnauthorized) onUnauthorized(e);
    throw e;
  }
  return opts.as === 'text' ? text : data;
}

// Fetches every item of a collection (pages of 500).
export async function listAll(path) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  for (let offset = 0; ; offset += 500) {
    const r = await api('GET', `${path}${sep}limit=500&offset=${offset}`);
    const page = (r && r.items) || [];
    items.push(...page);
    if (page.length === 0 || items.length >= (r.total ?? 0)) break;
  }
  return items;
}
