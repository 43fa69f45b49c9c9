// A real OpenID provider for the browser test of ASSISTANT_AUTH__MODE=oidc.
// TEST USE ONLY: any login name is accepted (oidc-provider's built-in dev interactions).
//
//   node provider.js <port>        (or OIDC_PORT=<port>)
//
// Environment: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI,
// OIDC_POST_LOGOUT_REDIRECT_URI, OIDC_GROUPS (comma-separated, for every account).
import Provider from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_PORT || 0);
if (!port) {
  console.error('usage: node provider.js <port>');
  process.exit(2);
}
const env = (name, fallback) => process.env[name] || fallback;
const issuer = `http://127.0.0.1:${port}`;
const groups = env('OIDC_GROUPS', 'lambeth-practitioners').split(',').filter(Boolean);

const configuration = {
  clients: [
    {
      client_id: env('OIDC_CLIENT_ID', 'assistant'),
      client_secret: env('OIDC_CLIENT_SECRET', 'assistant-test-secret'),
      redirect_uris: [env('OIDC_REDIRECT_URI', 'http://127.0.0.1:8000/auth/callback')],
      post_logout_redirect_uris: [
        env('OIDC_POST_LOGOUT_REDIRECT_URI', 'http://127.0.0.1:8000/auth/signed-out'),
      ],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  async findAccount(ctx, id) {
    const login = String(id);
    return {
      accountId: login,
      async claims() {
        return {
          sub: login,
          email: login.includes('@') ? login : `${login}@lambeth.example`,
          email_verified: true,
          name: `Test user ${login}`,
          groups,
        };
      },
    };
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  cookies: { keys: ['test-only-cookie-key'] },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600 },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
