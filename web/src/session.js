// The signed-in person: the bearer token and what its claims say (sub = NIP, name, unit, roles).
// An identity provider that puts the NIP or the roles elsewhere (Keycloak: the claim nip) is read
// through config.js: oidc.nipClaim, oidc.rolesClaim (dotted paths, as JWT_NIP_CLAIM / JWT_ROLES_CLAIM).

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

function claimAt(claims, path) {
  return path.split('.').reduce((value, part) => (value && typeof value === 'object' ? value[part] : undefined), claims);
}

function mapping() {
  const oidc = (window.KINERJA_CONFIG && window.KINERJA_CONFIG.oidc) || {};
  return { nip: oidc.nipClaim || 'sub', roles: oidc.rolesClaim || 'roles' };
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
  const map = mapping();
  let roles = claimAt(claims, map.roles) || [];
  if (typeof roles === 'string') roles = [roles];
  const nip = String(claimAt(claims, map.nip) || claims.sub);
  return {
    nip,
    name: claims.name || stored.name || nip,
    unit: claims.unit || stored.unit || null,
    roles,
    token: stored.token,
    expiresAt: claims.exp ? new Date(claims.exp * 1000) : null,
    issuedAt: claims.iat ? new Date(claims.iat * 1000) : null,
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
