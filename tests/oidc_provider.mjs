// A real OpenID Connect provider for the tests (npm's oidc-provider), on loopback only:
//   node tests/oidc_provider.mjs CONFIG.json
// CONFIG: {"port": N, "client_id", "client_secret", "redirect_uris": [...],
//          "post_logout_redirect_uris": [...] (optional),
//          "backchannel_logout_uri": "..." (optional),
//          "accounts": {"LOGIN": {"password": "...", "claims": {"email", "groups", ...}}}}
// Its login page asks for a username and a password (labelled, as a council's does) and checks
// them against the accounts; consent is given at once, as a council's own app registration does.
// Its end-session endpoint (RP-initiated logout) asks "Sign out of your council account?" and
// ends the provider's session on "Sign out", then sends back to the post-logout redirect URI;
// with a back-channel logout URI it first posts a logout token there (Back-Channel Logout 1.0,
// with the session's sid), as a provider does when the person signs out of it from anywhere.
// Prints "listening ISSUER" once it answers.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    post_logout_redirect_uris: config.post_logout_redirect_uris ?? [],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...(config.backchannel_logout_uri
      ? { backchannel_logout_uri: config.backchannel_logout_uri, backchannel_logout_session_required: true }
      : {}),
  }],
  claims: {
    openid: ['sub'],
    email: ['email'],
    profile: ['given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', 'groups'],
  // The groups in the ID token as well as in userinfo, as Entra ID sends them.
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => {
    const account = config.accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // `form` is the provider's own (its action and xsrf token); the button submits it.
      logoutSource: async (ctx, form) => {
        ctx.body = `<!doctype html><html lang="en"><head><title>Council sign-out</title></head><body>
<h1>Sign out of your council account?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
</body></html>`;
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = '<!doctype html><html lang="en"><head><title>Signed out</title></head><body><h1>You have signed out of your council account</h1></body></html>';
      },
    },
  },
  cookies: { keys: ['oversight-test-provider-only'] },
  // Its own requests (the back-channel logout) go to Oversight on loopback, which the provider's
  // SSRF guard refuses (a special-use address): without the guard, for this test provider only.
  fetch: (url, options) => {
    const { dispatcher: _guard, ...rest } = options;
    return fetch(url, rest);
  },
  pkce: { required: () => true },
});

provider.on('backchannel.error', (_ctx, error, client) => {
  console.log(`back-channel logout to ${client.clientId} failed: ${error.message} ${error.cause ?? ""}`);
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, error) {
  return `<!doctype html><html lang="en"><head><title>Council sign-in</title></head><body>
<h1>Sign in to your council account</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button>
</form></body></html>`;
}

async function formBody(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (prompt.name === 'login') {
    if (req.method === 'POST' && req.url.endsWith('/login')) {
      const { username, password } = await formBody(req);
      const account = config.accounts[username];
      if (account && account.password === password) {
        await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid, 'The username or password is not right'));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid, ''));
    return;
  }
  // consent: granted at once for what the client asked
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
const server = createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
