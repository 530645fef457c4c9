import { randomUUID } from "node:crypto";
import { test as base, expect, type CDPSession, type Locator, type Page } from "@playwright/test";

export type Credentials = { name: string; email: string; password: string };
/** A customer whose first passkey is enrolled: the recovery codes that came with it. */
export type CustomerWithPasskey = Credentials & { recoveryCodes: string[] };

export const DEMO = {
  alice: { name: "Alice Archer", email: "alice@example.com", password: "demo-password-alice" },
  bob: { name: "Bob Brennan", email: "bob@example.com", password: "demo-password-bob" },
} as const;

export type VirtualAuthenticator = { cdp: CDPSession; authenticatorId: string };

export const test = base.extend<{
  cspViolations: void;
  serverErrors: void;
  signedInCustomer: Credentials;
  customerWithPasskey: CustomerWithPasskey;
  authenticator: VirtualAuthenticator;
}>({
  /**
   * Chromium's CDP virtual authenticator: a platform passkey with UV, attached before any WebAuthn
   * call (without one, a ceremony hangs for over a minute).
   */
  authenticator: async ({ page }, use) => {
    const authenticator = await attachVirtualAuthenticator(page);
    await use(authenticator);
    await authenticator.cdp
      .send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: authenticator.authenticatorId })
      .catch(() => {});
  },
  /** Fails any test during which the browser refused something under the Content-Security-Policy. */
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await use();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
  /** Fails any test during which the app answered 5xx: bad input must never crash the server. */
  serverErrors: [
    async ({ page }, use) => {
      const failures: string[] = [];
      page.on("response", (response) => {
        if (response.status() >= 500)
          failures.push(`${response.status()} ${response.request().method()} ${response.url()}`);
      });
      await use();
      expect(failures, "responses with a 5xx status").toEqual([]);
    },
    { auto: true },
  ],
  /** A fresh customer, signed up through the real form, and signed in on `page`. */
  signedInCustomer: async ({ page }, use) => {
    const user = {
      name: "Erin E2E",
      email: `erin-${randomUUID()}@example.com`,
      password: "an e2e passphrase that is long",
    };
    await signUp(page, user);
    await expect(page).toHaveURL(/\/dashboard$/);
    await use(user);
  },
  /**
   * The signed-in customer above, with a first passkey ("Test laptop") on the page's virtual
   * authenticator, enrolled through the security page; the test starts there. A test that enrols
   * later, or under another name, asks for signedInCustomer and authenticator instead.
   */
  customerWithPasskey: async ({ page, signedInCustomer, authenticator }, use) => {
    const recoveryCodes = await enrolFirstPasskey(page, authenticator, signedInCustomer);
    await use({ ...signedInCustomer, recoveryCodes });
  },
});
export { expect };

/** A platform authenticator with user verification (Touch ID, Windows Hello), on this page's browser context. */
export async function attachVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

export async function signUp(page: Page, user: Credentials) {
  await page.goto("/signup");
  await page.getByLabel("Full name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Open account" }).click();
}

export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/**
 * Enrols the first passkey through the security page: the password is re-entered first, and the new
 * credential must then be on the page's virtual authenticator. Returns the recovery codes that come
 * with the first passkey, after "saving" them.
 */
export async function enrolFirstPasskey(
  page: Page,
  authenticator: VirtualAuthenticator,
  user: { password: string },
  name = "Test laptop",
): Promise<string[]> {
  const before = await credentialCount(authenticator);
  await page.goto("/settings/security");
  await page.getByLabel("Passkey name").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByLabel("Your password").fill(user.password);
  await page.getByRole("button", { name: "Confirm password" }).click();
  const codes = await saveRecoveryCodes(page);
  await expect(page.getByTestId("passkey-name").filter({ hasText: name })).toBeVisible();
  expect(await credentialCount(authenticator), "credentials on the virtual authenticator").toBe(before + 1);
  return codes;
}

/** How many credentials the virtual authenticator holds. */
export async function credentialCount({ cdp, authenticatorId }: VirtualAuthenticator): Promise<number> {
  return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials.length;
}

/** The recovery codes panel (shown once): reads the codes, ticks "I've saved these codes", Done. */
export async function saveRecoveryCodes(page: Page): Promise<string[]> {
  const panel = page.getByTestId("recovery-codes");
  await expect(panel.getByTestId("recovery-code")).toHaveCount(10);
  const codes = await panel.getByTestId("recovery-code").allTextContents();
  await expect(panel.getByRole("button", { name: "Done" })).toBeDisabled();
  await panel.getByLabel("I've saved these codes").check();
  await panel.getByRole("button", { name: "Done" }).click();
  await expect(panel).toBeHidden();
  return codes;
}

/** On the step-up page: confirms with the passkey and waits to leave the page. */
export async function confirmStepUp(page: Page) {
  await expect(page).toHaveURL(/\/step-up\//);
  await page.getByRole("button", { name: "Confirm with passkey" }).click();
  await expect(page).not.toHaveURL(/\/step-up\//);
}

/**
 * After an action that may or may not ask for a passkey (a recent one may cover it, within its grace
 * window): waits for whichever comes first, the step-up page or `done`, and says whether it was the
 * step-up page. Waiting for the step-up page alone, with a timeout, would wait that long every time
 * it doesn't come.
 */
export async function stepUpAsked(page: Page, done: Locator): Promise<boolean> {
  const confirm = page.getByRole("button", { name: "Confirm with passkey" });
  await expect(confirm.or(done).first()).toBeVisible();
  return confirm.isVisible();
}

/**
 * From now on, in this document and every later one, the browser offers no passkey autofill
 * (conditional UI). Chromium's virtual authenticator would otherwise complete the login page's
 * autofill request by itself.
 */
export async function blockPasskeyAutofill(page: Page) {
  const block = () => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  };
  await page.addInitScript(block); // documents loaded from now on
  // …and this one: signing out navigates on the client (no new document), so the login page it shows
  // would otherwise still offer autofill, and the virtual authenticator would sign straight back in.
  await page.evaluate(block).catch(() => {}); // no document yet (about:blank before the first goto)
}

/**
 * Waits until React has hydrated every form and form control on the page (it tags each DOM node it
 * has hydrated with a `__reactFiber$…` property, after setting its props). Change the DOM as a
 * crafted request would only after this, and in place (see craft() in support/bank.ts): before it,
 * hydration can set the values back.
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => {
    const owned = (node: Element) => Object.keys(node).some((key) => key.startsWith("__reactFiber$"));
    const forms = [...document.querySelectorAll("form")];
    // The "$ACTION_…" inputs are the server's no-JavaScript fallback; React leaves them alone.
    const controls = (form: HTMLFormElement) =>
      [...form.elements].filter((el) => !(el as HTMLInputElement).name?.startsWith("$ACTION"));
    return forms.length > 0 && forms.every((form) => owned(form) && controls(form).every(owned));
  });
}
