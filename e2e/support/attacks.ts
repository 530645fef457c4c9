/**
 * Tools for the step-up attack tests: capture a real server-action request and send it again (a
 * replay, a race, or a substituted argument), swap a passkey for a forged one in the virtual
 * authenticator, and make a genuine assertion on another origin.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page, Request } from "@playwright/test";
import type { VirtualAuthenticator } from "../fixtures";

/** A server-action POST as the browser sent it: enough to send it again from the same session. */
export type ActionCall = { url: string; headers: Record<string, string>; body: string };

/** A captured request as a call that can be sent again: without the headers the browser computes itself. */
export async function actionCallOf(request: Request): Promise<ActionCall> {
  const headers = await request.allHeaders();
  for (const h of ["content-length", "cookie", "host", "connection"]) delete headers[h];
  return { url: request.url(), headers, body: request.postData() ?? "" };
}

/**
 * Resolves with the next server-action request whose body matches `match` (e.g. contains the intent id
 * and "clientDataJSON": the step-up completion).
 */
export function nextActionCall(page: Page, match: (body: string) => boolean): Promise<ActionCall> {
  return new Promise((resolve) => {
    const listener = async (request: Request) => {
      if (
        request.method() !== "POST" ||
        !match(request.postData() ?? "") ||
        !(await request.headerValue("next-action"))
      )
        return;
      page.off("request", listener);
      resolve(await actionCallOf(request));
    };
    page.on("request", listener);
  });
}

/** Sends a captured action call again with the page's cookies; returns the RSC response text. */
export async function replayAction(page: Page, call: ActionCall, body: string = call.body): Promise<string> {
  const response = await page.request.fetch(call.url, { method: "POST", headers: call.headers, data: body });
  return response.text();
}

/** The virtual authenticator's only credential (CDP ids are standard base64). */
async function onlyCredential(auth: VirtualAuthenticator) {
  const { credentials } = await auth.cdp.send("WebAuthn.getCredentials", { authenticatorId: auth.authenticatorId });
  if (credentials.length !== 1) throw new Error(`expected one credential, found ${credentials.length}`);
  return credentials[0];
}

/**
 * Replaces the user's passkey with a forged one: same credential id and user handle, different
 * private key. The browser happily uses it; only the server's signature check can catch it.
 */
export async function forgePasskey(auth: VirtualAuthenticator): Promise<void> {
  const real = await onlyCredential(auth);
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  await auth.cdp.send("WebAuthn.removeCredential", {
    authenticatorId: auth.authenticatorId,
    credentialId: real.credentialId,
  });
  await auth.cdp.send("WebAuthn.addCredential", {
    authenticatorId: auth.authenticatorId,
    credential: {
      credentialId: real.credentialId,
      isResidentCredential: true,
      rpId: real.rpId,
      userHandle: real.userHandle,
      privateKey: privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"),
      signCount: real.signCount + 10,
    },
  });
}

/** Request options as captured in the page, with binary fields in base64url. */
export type CapturedRequestOptions = {
  challenge: string;
  rpId: string;
  allowCredentials: string[];
  userVerification?: string;
};

/**
 * From the next page load on (on `onOrigin` only), the first WebAuthn get() in this page is captured and refused with
 * NotAllowedError, as if the user closed the prompt. The server has issued (and still holds) its
 * challenge; `capturedOptions` returns what the browser was asked to sign.
 */
export async function captureNextGet(page: Page, onOrigin: string): Promise<void> {
  await page.addInitScript((vaultOrigin) => {
    if (location.origin !== vaultOrigin) return;
    const b64url = (buf: ArrayBuffer | ArrayBufferView) => {
      const bytes =
        buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      return btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    };
    const w = window as unknown as { __captured?: unknown };
    const original = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = async (options?: CredentialRequestOptions) => {
      const pk = options?.publicKey;
      if (!pk || w.__captured || options?.mediation === "conditional") return original(options);
      w.__captured = {
        challenge: b64url(pk.challenge as ArrayBuffer),
        rpId: pk.rpId ?? "",
        allowCredentials: (pk.allowCredentials ?? []).map((c) => b64url(c.id as ArrayBuffer)),
        userVerification: pk.userVerification,
      };
      throw new DOMException("Captured by the test", "NotAllowedError");
    };
  }, onOrigin);
}

export async function capturedOptions(page: Page): Promise<CapturedRequestOptions> {
  const handle = await page.waitForFunction(() => (window as unknown as { __captured?: unknown }).__captured);
  return (await handle.jsonValue()) as CapturedRequestOptions;
}

/**
 * Serves a blank page on http://localhost:<random port>, a different origin with the same rpID
 * ("localhost" ignores ports), so the authenticator genuinely signs there.
 */
export async function startOtherOrigin(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>Not Vault</title><h1>Not Vault</h1>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs navigator.credentials.get in the current page with captured options; returns the response as JSON. */
export async function assertHere(page: Page, options: CapturedRequestOptions): Promise<Record<string, unknown>> {
  return page.evaluate(async (o) => {
    const fromB64url = (s: string) =>
      Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    const b64url = (buf: ArrayBuffer) =>
      btoa(String.fromCharCode(...new Uint8Array(buf)))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    const cred = (await navigator.credentials.get({
      publicKey: {
        challenge: fromB64url(o.challenge),
        rpId: o.rpId,
        allowCredentials: o.allowCredentials.map((id) => ({ type: "public-key" as const, id: fromB64url(id) })),
        userVerification: "required",
      },
    })) as PublicKeyCredential;
    const r = cred.response as AuthenticatorAssertionResponse;
    return {
      id: cred.id,
      rawId: b64url(cred.rawId),
      type: cred.type,
      response: {
        clientDataJSON: b64url(r.clientDataJSON),
        authenticatorData: b64url(r.authenticatorData),
        signature: b64url(r.signature),
        ...(r.userHandle ? { userHandle: b64url(r.userHandle) } : {}),
      },
      clientExtensionResults: {},
    };
  }, options);
}
