// The services' APIs through the gateway (one origin). Errors become ApiError with the problem+json body.
import { currentUser } from './session.js';

export class ApiError extends Error {
  constructor(status, problem, correlationId = null) {
    const p = problem || {};
    super(p.detail || p.title || (status === 0 ? 'Tidak ada koneksi ke server' : `HTTP ${status}`));
    this.name = 'ApiError';
    this.status = status;
    this.problem = p;
    // The id the services log the failure under: what support asks for (the box shows it).
    this.correlationId = p.correlation_id || correlationId || null;
  }
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== null && v !== undefined && v !== '') params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

export function authHeaders(extra = {}) {
  const user = currentUser();
  // Texts of refusals (problem details, reasoning) in Bahasa Indonesia, whatever the browser's languages.
  const headers = { Accept: 'application/json', 'Accept-Language': 'id', ...extra };
  if (user) headers.Authorization = `Bearer ${user.token}`;
  return headers;
}

async function request(method, path, { body, query, idempotencyKey, etag, raw = false, form } = {}) {
  const headers = authHeaders();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (etag) headers['If-Match'] = etag;
  let response;
  try {
    response = await fetch(withQuery(path, query), {
      method,
      headers,
      body: form !== undefined ? form : body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    throw new ApiError(0, { title: 'Tidak ada koneksi', detail: 'Tidak ada koneksi ke server. Periksa jaringan Anda.' });
  }
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent('kinerja:unauthorized'));
  }
  const type = response.headers.get('Content-Type') || '';
  const parsed = response.status === 204 ? null : type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    throw new ApiError(response.status, parsed && typeof parsed === 'object' ? parsed : { detail: String(parsed).slice(0, 300) },
      response.headers.get('X-Correlation-ID'));
  }
  return raw ? { body: parsed, etag: response.headers.get('ETag'), status: response.status } : parsed;
}

/** The ETag a GET of this resource answers, from the id and version a list showed: send it as If-Match
 * (`{ etag }`) so a change made meanwhile by someone else is refused (412), never overwritten.
 * PATCH, PUT and DELETE of a versioned resource require it (428 without). */
export const etagOf = (resource) => `"${resource.id}.${resource.version}"`;

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body, opts = {}) => request('POST', path, { body: body === undefined ? {} : body, ...opts }),
  put: (path, body, opts = {}) => request('PUT', path, { body, ...opts }),
  patch: (path, body, opts = {}) => request('PATCH', path, { body, ...opts }),
  del: (path, opts = {}) => request('DELETE', path, opts),
  upload: (path, formData, opts = {}) => request('POST', path, { form: formData, ...opts }),
  getWithEtag: async (path, query) => {
    const { body, etag } = await request('GET', path, { query, raw: true });
    return { body, etag };
  },
  postFull: (path, body, opts = {}) => request('POST', path, { body, raw: true, ...opts }),
};
