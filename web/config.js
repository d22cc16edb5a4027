// Settings of the web console, read before the application starts. Operators replace this file
// (nginx serves it, see docs/operations.md) to sign in through the region's OIDC provider.
window.KINERJA_CONFIG = Object.assign({
  oidc: {
    issuer: '',        // e.g. https://sso.binjaikota.go.id/realms/asn (its /.well-known/openid-configuration is read)
    clientId: '',      // the public client registered for the console (authorization code + PKCE, no secret)
    scope: 'openid profile',
    redirectUri: '',   // default: this origin + '/'
  },
  trainingMode: false, // true on the resettable Binjai demo system: shows the "Mode Latihan" banner
}, window.KINERJA_CONFIG || {});
