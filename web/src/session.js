// The signed-in person: the bearer token and what its claims say (sub = NIP, name, unit, roles).

const KEY = 'kinerja.session';

function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

export function currentUser() {
  let stored;
  try {
    stored = JSON.parse(localStorage.getItem(KEY) || 'null');
  } catch {
    stored = null;
  }
  if (!stored || !stored.token) return null;
  const claims = claimsOf(stored.token);
  if (!claims || (claims.exp && claims.exp * 1000 < Date.now())) return null;
  let roles = claims.roles || [];
  if (typeof roles === 'string') roles = [roles];
  return {
    nip: String(claims.sub),
    name: claims.name || stored.name || String(claims.sub),
    unit: claims.unit || stored.unit || null,
    roles,
    token: stored.token,
    expiresAt: claims.exp ? new Date(claims.exp * 1000) : null,
  };
}

export function signIn(user) {
  // user: {token, name?, unit?}; the token's claims are the truth.
  localStorage.setItem(KEY, JSON.stringify({ token: user.token, name: user.name, unit: user.unit }));
  return currentUser();
}

export function signOut() {
  localStorage.removeItem(KEY);
}
