// Settings of the web console, read before the application starts. Operators replace this file
// (nginx serves it, see docs/operations.md) to sign in through the region's OIDC provider.
window.KINERJA_CONFIG = Object.assign({
  oidc: {
    issuer: '',        // e.g. https://sso.binjaikota.go.id/realms/asn (its /.well-known/openid-configuration is read)
    clientId: '',      // the public client registered for the console (authorization code + PKCE, no secret)
    scope: 'openid profile',
    redirectUri: '',   // default: this origin + '/'
    nipClaim: 'sub',   // the claim holding the NIP (Keycloak realm of deploy/keycloak: 'nip'), as JWT_NIP_CLAIM
    rolesClaim: 'roles', // the claim (dotted path) of the roles, as JWT_ROLES_CLAIM
  },
  environment: 'development', // 'production': the console never offers the development sign-in
  trainingMode: false, // true on the resettable Binjai demo system: shows the "Mode Latihan" banner
}, window.KINERJA_CONFIG || {});
