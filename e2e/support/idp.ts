/**
 * A real OpenID Provider for tests and `npm run dev:idp`: panva's certified `oidc-provider`, on
 * 127.0.0.1 only, with in-memory accounts and a plain HTML sign-in page Playwright can drive.
 *
 * Two authentication levels, as a bank's workforce or customer IdP would have:
 * - `urn:vault:idp:pwd`: a password;
 * - `urn:vault:idp:mfa`: a password and a one-time code (the second factor).
 * A request with `acr_values` naming the higher level, or `max_age` the session is past, or
 * `prompt=login`, gets the sign-in page again (OIDC Core §3.1.2.1).
 *
 * It can misbehave on purpose, as real IdPs do (RFC 9470 §5 warns the client to check):
 * - `ignoreAcr`: never asks for the second factor and answers `acr=…:pwd` whatever was requested;
 * - `staleAuthTime`: reports an `auth_time` an hour in the past.
 * Tests switch these at run time with `POST /__test/misbehave` (JSON), which exists only here.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export const IDP_ACR = { PWD: "urn:vault:idp:pwd", MFA: "urn:vault:idp:mfa" } as const;

/** The IdP's people. The one-time code is fixed: this is a test IdP, never a real one. */
export const IDP_ACCOUNTS = {
  "ava@sso.example": { sub: "idp-ava-0001", name: "Ava Sato", password: "idp-password-ava", otp: "246810" },
  "ben@sso.example": { sub: "idp-ben-0002", name: "Ben Okafor", password: "idp-password-ben", otp: "135790" },
  // Only for e2e/sso.spec.ts's refused sign-in: a Vault customer with this email exists there first.
  "cy@sso.example": { sub: "idp-cy-0003", name: "Cy Varga", password: "idp-password-cy", otp: "112233" },
} as const;
type Email = keyof typeof IDP_ACCOUNTS;

export type Misbehaviour = { ignoreAcr: boolean; staleAuthTime: boolean };
export type IdpClient = { client_id: string; client_secret: string; redirect_uris: string[] };
export type Idp = { issuer: string; misbehave(m: Partial<Misbehaviour>): void; stop(): Promise<void> };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#111}label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem}button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem}.error{color:#a00}</style>
</head><body><h1>Example SSO</h1>${body}</body></html>`;
}

/** Starts the IdP on 127.0.0.1:`port`, or on a free port the OS picks when it is 0 or absent. */
export async function startIdp(options: { port?: number; clients: IdpClient[] }): Promise<Idp> {
  // Listen first: the issuer names the port, and the OS picks it when asked for port 0.
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const misbehaviour: Misbehaviour = { ignoreAcr: false, staleAuthTime: false };
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: randomBytes(6).toString("hex"),
    use: "sig",
    alg: "RS256",
  };

  // The login prompt also fires when a higher acr is asked for than the session has (unless ignoring it).
  const policy = interactionPolicy.base();
  policy.get("login")!.checks.add(
    new interactionPolicy.Check("acr_values", "a stronger authentication was requested", (ctx: KoaContextWithOIDC) => {
      const asked = String(ctx.oidc.params?.acr_values ?? "").split(" ");
      if (misbehaviour.ignoreAcr || !asked.includes(IDP_ACR.MFA)) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return ctx.oidc.session?.acr === IDP_ACR.MFA
        ? interactionPolicy.Check.NO_NEED_TO_PROMPT
        : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );

  const configuration: Configuration = {
    clients: options.clients.map((c) => ({
      ...c,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    acrValues: [IDP_ACR.PWD, IDP_ACR.MFA],
    claims: { openid: ["sub", "acr", "amr", "auth_time"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
    // Profile claims in the ID token too (not only from userinfo), as most IdPs configure for login.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { policy, url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const [email, account] = Object.entries(IDP_ACCOUNTS).find(([, a]) => a.sub === sub) ?? [];
      if (!email || !account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email, email_verified: true, name: account.name }) };
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", issuer);
    try {
      if (url.pathname === "/__test/misbehave" && req.method === "POST") {
        const body = await readBody(req);
        Object.assign(misbehaviour, pickMisbehaviour(JSON.parse(body || "{}")));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(misbehaviour));
        return;
      }
      const interaction = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
      if (interaction) {
        const details = await provider.interactionDetails(req, res);
        const asked = String(details.params.acr_values ?? "").split(" ");
        const wantsMfa = asked.includes(IDP_ACR.MFA) && !misbehaviour.ignoreAcr;
        if (req.method === "GET") {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(loginPage(details.uid, wantsMfa, ""));
          return;
        }
        const form = new URLSearchParams(await readBody(req));
        const email = form.get("email")?.trim().toLowerCase() as Email | undefined;
        const account = email && Object.hasOwn(IDP_ACCOUNTS, email) ? IDP_ACCOUNTS[email] : undefined;
        if (!account || form.get("password") !== account.password) {
          res
            .writeHead(200, { "content-type": "text/html; charset=utf-8" })
            .end(loginPage(details.uid, wantsMfa, "Wrong email or password."));
          return;
        }
        const otp = form.get("otp");
        if (wantsMfa && otp !== account.otp) {
          res
            .writeHead(200, { "content-type": "text/html; charset=utf-8" })
            .end(loginPage(details.uid, wantsMfa, "Wrong one-time code."));
          return;
        }
        const secondFactor = !misbehaviour.ignoreAcr && otp === account.otp;
        const now = Math.floor(Date.now() / 1000);
        const grant = new provider.Grant({ accountId: account.sub, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope ?? "openid"));
        await provider.interactionFinished(req, res, {
          login: {
            accountId: account.sub,
            acr: secondFactor ? IDP_ACR.MFA : IDP_ACR.PWD,
            amr: secondFactor ? ["pwd", "otp", "mfa"] : ["pwd"],
            ts: misbehaviour.staleAuthTime ? now - 3600 : now,
          },
          consent: { grantId: await grant.save() },
        });
        return;
      }
      callback(req, res);
    } catch (err) {
      res
        .writeHead(400, { "content-type": "text/html; charset=utf-8" })
        .end(page("Error", `<p class="error">${escape((err as Error).message)}</p>`));
    }
  }
  return {
    issuer,
    misbehave: (m) => Object.assign(misbehaviour, pickMisbehaviour(m)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function loginPage(uid: string, wantsMfa: boolean, error: string) {
  return page(
    "Sign in",
    `${error ? `<p class="error" role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
${wantsMfa ? `<label for="otp">One-time code</label><input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" required>` : ""}
<button type="submit">Sign in</button></form>`,
  );
}

function pickMisbehaviour(value: unknown): Partial<Misbehaviour> {
  const v = (value ?? {}) as Record<string, unknown>;
  return {
    ...(typeof v.ignoreAcr === "boolean" ? { ignoreAcr: v.ignoreAcr } : {}),
    ...(typeof v.staleAuthTime === "boolean" ? { staleAuthTime: v.staleAuthTime } : {}),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > 16_384) req.destroy(new Error("request too large"));
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}
