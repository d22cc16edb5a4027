// Sign-in through the region's OIDC provider: authorization code with PKCE (a public client, no secret).
// Configured in /config.js (window.KINERJA_CONFIG.oidc: issuer, clientId, scope, redirectUri).

const PENDING = 'kinerja.oidc';

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
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, tokenEndpoint: meta.token_endpoint, back: location.hash }));
  const params = new URLSearchParams({
    response_type: 'code', client_id: config().clientId, redirect_uri: redirectUri(), scope: config().scope || 'openid',
    state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${meta.authorization_endpoint}?${params}`);
}

/** After the provider redirects back with ?code=&state=: exchange the code; returns the token or null. */
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
  return tokens.access_token || tokens.id_token || null;
}
