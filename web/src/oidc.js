// Sign-in through the region's OIDC provider: authorization code with PKCE (a public client, no secret).
// Configured in /config.js (window.KINERJA_CONFIG.oidc: issuer, clientId, scope, redirectUri).

const PENDING = 'kinerja.oidc';
// The refresh token, the ID token (for the sign-out) and the provider's endpoints: this tab only.
const TOKENS = 'kinerja.oidc.tokens';

function config() {
  return (window.KINERJA_CONFIG && window.KINERJA_CONFIG.oidc) || {};
}

export function oidcConfigured() {
  const c = config();
  return Boolean(c.issuer && c.clientId);
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(size = 48) {
  return base64url(crypto.getRandomValues(new Uint8Array(size)));
}

async function discovery() {
  const issuer = config().issuer.replace(/\/$/, '');
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OIDC discovery failed: HTTP ${response.status}`);
  return response.json();
}

function redirectUri() {
  return config().redirectUri || `${location.origin}/`;
}

export async function beginOidcSignIn() {
  const meta = await discovery();
  const verifier = randomString();
  const state = randomString(16);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, tokenEndpoint: meta.token_endpoint,
    endSession: meta.end_session_endpoint || null, back: location.hash }));
  const params = new URLSearchParams({
    response_type: 'code', client_id: config().clientId, redirect_uri: redirectUri(), scope: config().scope || 'openid',
    state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${meta.authorization_endpoint}?${params}`);
}

function remember(endpoints, tokens) {
  const before = JSON.parse(sessionStorage.getItem(TOKENS) || 'null') || {};
  sessionStorage.setItem(TOKENS, JSON.stringify({
    tokenEndpoint: endpoints.tokenEndpoint, endSession: endpoints.endSession,
    refreshToken: tokens.refresh_token || null, idToken: tokens.id_token || before.idToken || null,
  }));
}

/** After the provider redirects back with ?code=&state=: exchange the code; returns the access token or null. */
export async function completeOidcSignIn() {
  const query = new URLSearchParams(location.search);
  if (!query.has('code') || !query.has('state')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname + (pending && pending.back ? pending.back : ''));
  if (!pending || pending.state !== query.get('state')) throw new Error('Status masuk tidak cocok; silakan coba lagi.');
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(), client_id: config().clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`Penukaran kode masuk gagal (HTTP ${response.status}).`);
  const tokens = await response.json();
  remember(pending, tokens);
  return tokens.access_token || null;
}

/** True when this tab signed in through the provider and holds a refresh token. */
export function oidcRenewable() {
  const saved = JSON.parse(sessionStorage.getItem(TOKENS) || 'null');
  return Boolean(saved && saved.refreshToken);
}

/** A fresh access token from the refresh token (before the old one expires), or null when the
 * provider refuses: the session at the provider has ended (signed out, expired, user disabled). */
export async function renewOidcToken() {
  const saved = JSON.parse(sessionStorage.getItem(TOKENS) || 'null');
  if (!saved || !saved.refreshToken) return null;
  let response;
  try {
    response = await fetch(saved.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: saved.refreshToken, client_id: config().clientId }),
    });
  } catch {
    return undefined; // offline: try again later, the session may still be alive
  }
  if (!response.ok) {
    sessionStorage.removeItem(TOKENS);
    return null;
  }
  const tokens = await response.json();
  remember(saved, tokens);
  return tokens.access_token || null;
}

/** End the session at the provider too (RP-initiated logout); false when there is none to end. */
export function oidcSignOut() {
  const saved = JSON.parse(sessionStorage.getItem(TOKENS) || 'null');
  sessionStorage.removeItem(TOKENS);
  if (!saved || !saved.endSession) return false;
  const params = new URLSearchParams({ client_id: config().clientId, post_logout_redirect_uri: redirectUri() });
  if (saved.idToken) params.set('id_token_hint', saved.idToken);
  location.assign(`${saved.endSession}?${params}`);
  return true;
}
