/**
 * Step-up, end to end: real passkey ceremonies in Chromium (CDP virtual authenticator) against the
 * production build. Each test makes its own customer, so tests are independent and parallel-safe.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import {
  actionCallOf,
  assertHere,
  captureNextGet,
  capturedOptions,
  forgePasskey,
  nextActionCall,
  replayAction,
  startOtherOrigin,
} from "./support/attacks";
import {
  accountsOf,
  addPayee,
  craft,
  fillTransfer,
  snapshot,
  TRANSFER_FORM,
  TRANSFER_PAGE,
  userId,
  sendTransfer,
  reviewTransfer,
  settleCustomer,
} from "./support/bank";
import { queryE2eDb, writeE2eDb } from "./support/e2e-db";
import {
  blockPasskeyAutofill,
  confirmStepUp,
  credentialCount,
  expect,
  saveRecoveryCodes,
  signUp,
  test,
} from "./fixtures";

const IBAN = "GB82 WEST 1234 5698 7654 32";

const intentIdOf = (page: Page) => new URL(page.url()).pathname.split("/").pop()!;
const intent = (id: string) =>
  queryE2eDb<{ status: string; action: string; payload: string; userId: string }>(
    `SELECT status, action, payload, userId FROM "StepUpIntent" WHERE id = ?`,
    id,
  )[0];
/** The customer's payments to payees (opening balances and own-account moves are not). */
const paymentsOf = (email: string) =>
  queryE2eDb<{ amount: number; sca: string }>(
    `SELECT amount, sca FROM "Transfer" WHERE userId = ? AND payeeId IS NOT NULL ORDER BY createdAt`,
    userId(email),
  );
const auditOf = (email: string, action: string) =>
  queryE2eDb<{ outcome: string; reason: string | null; metadata: string }>(
    `SELECT outcome, reason, metadata FROM "AuditEvent" WHERE userId = ? AND action = ? ORDER BY createdAt`,
    userId(email),
    action,
  );
const numberOf = (accountId: string) =>
  queryE2eDb<{ number: string }>(`SELECT number FROM "Account" WHERE id = ?`, accountId)[0].number;

/** Submits a transfer from Everyday Checking and waits for the step-up page. */
async function askForTransfer(page: Page, to: string, amount: string) {
  await fillTransfer(page, to, amount);
  await sendTransfer(page);
  await expect(page).toHaveURL(/\/step-up\//);
  return intentIdOf(page);
}

/** The claims the server decodes from this browser's session (GET /api/auth/session). */
async function sessionClaims(page: Page) {
  const response = await page.request.get("/api/auth/session");
  return (await response.json()) as { amr: string[]; acr: string; auth_time: number; phr_time?: number };
}

test.describe("passkeys", () => {
  test("enrol after re-entering the password, rename, then remove under step-up; all in the security log", async ({
    page,
    signedInCustomer,
    authenticator,
  }) => {
    await page.goto("/settings/security");
    await expect(page.getByTestId("no-passkeys")).toBeVisible();
    await page.getByLabel("Passkey name").fill("Work laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    // Bootstrapping rule: the first passkey needs the password again. A wrong one changes nothing.
    await page.getByLabel("Your password").fill("not the password at all");
    await page.getByRole("button", { name: "Confirm password" }).click();
    await expect(page.getByText("That password isn't right.")).toBeVisible();
    await page.getByLabel("Your password").fill(signedInCustomer.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    // While the new recovery codes are still on screen, the list already shows the new passkey.
    await expect(page.getByTestId("recovery-codes")).toBeVisible();
    await expect(page.getByTestId("no-passkeys")).toBeHidden();
    await saveRecoveryCodes(page);
    await expect(page.getByTestId("passkey-name")).toHaveText("Work laptop");
    const { credentials } = await authenticator.cdp.send("WebAuthn.getCredentials", {
      authenticatorId: authenticator.authenticatorId,
    });
    expect(credentials).toHaveLength(1);
    const stored = queryE2eDb<{ id: string; transports: string; deviceType: string; counter: number }>(
      `SELECT id, transports, deviceType, counter FROM "Passkey" WHERE userId = ?`,
      userId(signedInCustomer.email),
    );
    expect(stored).toEqual([
      {
        id: Buffer.from(credentials[0].credentialId, "base64").toString("base64url"),
        transports: "internal",
        deviceType: "singleDevice",
        counter: expect.any(Number),
      },
    ]);

    // The passkey's row (enrolling also made this browser a known device, with its own Rename).
    const passkeyRow = page.getByTestId("passkey-row");
    await passkeyRow.getByRole("button", { name: /^Rename/ }).click();
    await passkeyRow.getByLabel("New name").fill("Old laptop");
    await passkeyRow.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("passkey-name")).toHaveText("Old laptop");

    // Removing needs a passkey within 5 minutes; the enrolment itself was not a passkey step-up.
    await page.getByRole("button", { name: /^Remove Old laptop/ }).click();
    await expect(page.getByTestId("step-up-title")).toHaveText('Remove the passkey "Old laptop"');
    await confirmStepUp(page);
    await expect(page).toHaveURL(/\/settings\/security\?removed=1$/);
    await expect(page.getByTestId("no-passkeys")).toBeVisible();
    expect(queryE2eDb(`SELECT id FROM "Passkey" WHERE userId = ?`, userId(signedInCustomer.email))).toHaveLength(0);

    await page.goto("/activity?category=security");
    const log = page.getByTestId("audit-log");
    for (const line of [
      "You added the passkey",
      "You renamed a passkey",
      "You removed the passkey",
      "You confirmed with your passkey",
      "You confirmed your password",
    ])
      await expect(log).toContainText(line);
    // The guard's decision as a sentence, its codes behind "Details".
    await expect(log).toContainText("Vault asked for your passkey to remove a passkey");
    await expect(log).toContainText("acr_too_low");
  });

  test("a second passkey needs a passkey step-up first, and the same device can't register twice", async ({
    page,
    customerWithPasskey: _customer,
  }) => {
    await page.getByLabel("Passkey name").fill("Second");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByTestId("step-up-title")).toHaveText("Add a new passkey");
    await confirmStepUp(page);
    await expect(page).toHaveURL(/\/settings\/security\?confirmed=1$/);
    await page.getByLabel("Passkey name").fill("Second");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    // excludeCredentials lists the existing passkey, so this authenticator refuses a duplicate.
    await expect(page.getByTestId("passkey-error")).toHaveText("This device already has a Vault passkey.");
    await expect(page.getByTestId("passkey-row")).toHaveCount(1);
  });
});

test.describe("password change", () => {
  test("asks for a passkey, resumes without retyping, then the grace window spares a second prompt", async ({
    page,
    browser,
    customerWithPasskey,
  }) => {
    const changeTo = async (current: string, next: string) => {
      await page.getByLabel("Current password").fill(current);
      await page.getByLabel("New password").fill(next);
      await page.getByRole("button", { name: "Change password" }).click();
    };
    await changeTo("not my password at all", "a brand new long passphrase");
    await expect(page.locator("#currentPassword-error")).toHaveText("That isn't your current password.");
    await expect(page.getByLabel("Current password")).toHaveValue(""); // passwords are never echoed back

    await changeTo(customerWithPasskey.password, "a brand new long passphrase");
    await expect(page.getByTestId("step-up-title")).toHaveText("Change your password");
    expect(intent(intentIdOf(page)).payload).not.toContain("a brand new long passphrase"); // only its argon2id hash
    await confirmStepUp(page);
    await expect(page).toHaveURL(/\/settings\/security\?password=changed$/);
    await expect(page.getByRole("status")).toHaveText("Your password was changed.");

    // Within 5 minutes of that passkey, no second prompt (a clean page, so the only notice is the form's).
    await page.goto("/settings/security");
    await expect(page.getByRole("status")).toHaveCount(0);
    await changeTo("a brand new long passphrase", "and a third long passphrase");
    await expect(page.getByRole("status")).toHaveText("Your password was changed.");
    await expect(page).toHaveURL(/\/settings\/security/);
    expect(auditOf(customerWithPasskey.email, "auth.password_change").map((e) => e.outcome)).toEqual([
      "FAILURE",
      "SUCCESS",
      "SUCCESS",
    ]);

    const context = await browser.newContext();
    try {
      const other = await context.newPage();
      for (const [password, works] of [
        [customerWithPasskey.password, false],
        ["and a third long passphrase", true],
      ] as const) {
        await other.goto("/login");
        await other.getByLabel("Email").fill(customerWithPasskey.email);
        await other.getByLabel("Password").fill(password);
        await other.getByRole("button", { name: "Sign in", exact: true }).click();
        if (works) await expect(other).toHaveURL(/\/dashboard$/);
        else await expect(other.getByTestId("form-alert")).toBeVisible();
      }
    } finally {
      await context.close();
    }
  });
});

test.describe("transfers under the policy", () => {
  test("a new payee asks, a small payment to a known payee doesn't, a large one asks with the exact amount and payee", async ({
    page,
    customerWithPasskey,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const [checking] = accountsOf(customerWithPasskey.email);

    // First payment to a new payee: bound step-up even for a small amount.
    await askForTransfer(page, "ACME Ltd", "20.00");
    await expect(page.getByTestId("step-up-title")).toHaveText("Send $20.00 to ACME Ltd");
    await confirmStepUp(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);

    // A known payee, below $100.00, within the daily budget: exempt (PSD2 RTS Art. 16), for a customer
    // whose set-up (the passkey, the payee) is no longer a change of the last 24 hours (lib/risk).
    settleCustomer(customerWithPasskey.email);
    await fillTransfer(page, "ACME Ltd", "25.00");
    await sendTransfer(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);

    // A large one: the page shows exactly what the passkey will sign; then it completes without retyping.
    const before = accountsOf(customerWithPasskey.email)[0].balance;
    await askForTransfer(page, "ACME Ltd", "1250.00");
    await expect(page.getByTestId("step-up-title")).toHaveText("Send $1,250.00 to ACME Ltd");
    const details = page.getByTestId("step-up-details");
    await expect(details).toContainText(`Everyday Checking (•••• ${numberOf(checking.id).slice(-4)})`);
    await expect(details).toContainText("ACME Ltd (IBAN ••• 5432)");
    await expect(page.getByTestId("step-up-requirement")).toContainText(
      "acr_values=urn:vault:acr:phr max_age=0 (bound to this operation)",
    );
    await confirmStepUp(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);
    await expect(page.getByTestId("transfer-detail")).toContainText("$1,250.00");
    expect(accountsOf(customerWithPasskey.email)[0].balance).toBe(before - 125_000);
    expect(paymentsOf(customerWithPasskey.email).map((t) => t.sca)).toEqual(["STEP_UP", "EXEMPT_LOW_VALUE", "STEP_UP"]);

    // The session was upgraded, not replaced: same auth_time, passkey methods added (RFC 8176).
    const claims = await sessionClaims(page);
    expect(claims.amr).toEqual(["pwd", "pop", "user", "mfa"]);
    expect(claims.acr).toBe("urn:vault:acr:phr");
    expect(claims.phr_time).toBeGreaterThanOrEqual(claims.auth_time);
  });

  test("adding a payee and changing the payout destination ask every time", async ({
    page,
    customerWithPasskey: _customer,
  }) => {
    for (const [name, iban] of [
      ["First Payee", IBAN],
      ["Second Payee", "DE89 3704 0044 0532 0130 00"],
    ]) {
      await addPayee(page, name, iban, { confirm: false });
      await expect(page.getByTestId("step-up-title")).toHaveText(`Add ${name} as a payee`);
      // In full, as typed, so a typo can be caught before it is saved (masked everywhere after).
      await expect(page.getByTestId("step-up-details")).toContainText(`IBAN${iban}`);
      await expect(page.getByTestId("step-up-details-warning")).toHaveCount(0);
      await confirmStepUp(page);
      await expect(page).toHaveURL(/\/payees\?added=1$/);
    }
    // A third payee with the first one's account is flagged before it is confirmed.
    await addPayee(page, "Third Payee", IBAN, { confirm: false });
    await expect(page.getByTestId("step-up-details-warning")).toHaveText(
      "You already have a payee with this account: First Payee. Check it's not a duplicate.",
    );
    for (const holder of ["Erin One", "Erin Two"]) {
      await page.goto("/settings/payout");
      await page.getByLabel("Account holder").fill(holder);
      await page.getByLabel("IBAN", { exact: true }).fill(IBAN);
      await page.getByRole("button", { name: "Save payout destination" }).click();
      await expect(page.getByTestId("step-up-title")).toHaveText("Send your payouts to IBAN ••• 5432");
      await confirmStepUp(page);
      await expect(page.getByTestId("payout-current")).toContainText(holder);
    }
  });

  test("reveal: one step-up, then no prompt within the 10-minute window", async ({ page, customerWithPasskey }) => {
    const [checking, savings] = accountsOf(customerWithPasskey.email);
    await page.goto(`/accounts/${checking.id}`);
    await page.getByRole("button", { name: "Reveal" }).click();
    await expect(page.getByTestId("step-up-requirement")).toContainText("max_age=600");
    await confirmStepUp(page);
    await expect(page.getByTestId("account-number")).toHaveText(numberOf(checking.id));
    // Shown once: the address keeps no ?reveal=1, so a reload shows the masked number again.
    await expect(page).toHaveURL(new RegExp(`/accounts/${checking.id}$`));
    await page.reload();
    await expect(page.getByTestId("account-number")).toHaveText(`•••• ${numberOf(checking.id).slice(-4)}`);

    await page.goto(`/accounts/${savings.id}`);
    await page.getByRole("button", { name: "Reveal" }).click();
    await expect(page.getByTestId("account-number")).toHaveText(numberOf(savings.id));
    await expect(page).toHaveURL(new RegExp(`/accounts/${savings.id}$`));
    const decisions = auditOf(customerWithPasskey.email, "assurance.decision").filter((d) =>
      d.metadata.includes('"account.reveal"'),
    );
    expect(decisions.map((d) => `${d.outcome}:${d.reason}`)).toEqual([
      "STEP_UP_REQUIRED:acr_too_low",
      "SUCCESS:recent_passkey",
      "SUCCESS:recent_passkey",
    ]);
  });

  test("a user with no passkey is guided to enrol one, then comes back and completes", async ({
    page,
    signedInCustomer,
    authenticator,
  }) => {
    expect(await credentialCount(authenticator)).toBe(0);
    await page.goto("/payees");
    await page.getByLabel("Payee name").fill("Landlord");
    await page.getByLabel("IBAN", { exact: true }).fill(IBAN);
    await page.getByRole("button", { name: "Add payee" }).click();
    await expect(page.getByTestId("step-up-no-passkey")).toBeVisible();
    const stepUpUrl = page.url();
    await page.getByRole("link", { name: "Add a passkey" }).click();
    await page.getByLabel("Passkey name").fill("Phone");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByLabel("Your password").fill(signedInCustomer.password);
    await page.getByRole("button", { name: "Confirm password" }).click();
    await saveRecoveryCodes(page);
    expect(await credentialCount(authenticator)).toBe(1); // the new passkey lives on this device
    await expect(page).toHaveURL(stepUpUrl);
    await expect(page.getByTestId("step-up-title")).toHaveText("Add Landlord as a payee");
    await confirmStepUp(page);
    await expect(page).toHaveURL(/\/payees\?added=1$/);
    await expect(page.getByTestId("payee-row")).toContainText("Landlord");
    await expect(page.getByTestId("toast").filter({ hasText: "Payee added." })).toBeVisible(); // the resumed action's confirmation
  });
});

test.describe("when step-up fails or is abandoned", () => {
  test("UV=false is rejected, nothing moves, and a retry with UV works", async ({
    page,
    customerWithPasskey,
    authenticator,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const id = await askForTransfer(page, "ACME Ltd", "300.00");
    const before = snapshot(customerWithPasskey.email);
    await authenticator.cdp.send("WebAuthn.setUserVerified", {
      authenticatorId: authenticator.authenticatorId,
      isUserVerified: false,
    });
    await page.getByRole("button", { name: "Confirm with passkey" }).click();
    await expect(page.getByTestId("step-up-error")).toBeVisible();
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
    expect(intent(id).status).toBe("PENDING");

    await authenticator.cdp.send("WebAuthn.setUserVerified", {
      authenticatorId: authenticator.authenticatorId,
      isUserVerified: true,
    });
    await confirmStepUp(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);
  });

  test("waiting for the passkey can be stopped: nothing moves, and confirming again works", async ({
    page,
    customerWithPasskey,
    authenticator,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const id = await askForTransfer(page, "ACME Ltd", "300.00");
    const before = snapshot(customerWithPasskey.email);
    const presence = (enabled: boolean) =>
      authenticator.cdp.send("WebAuthn.setAutomaticPresenceSimulation", {
        authenticatorId: authenticator.authenticatorId,
        enabled,
      });
    await presence(false); // the authenticator now waits for a touch that never comes
    await page.getByRole("button", { name: "Confirm with passkey" }).click();
    await expect(page.getByRole("button", { name: "Waiting for your passkey…" })).toBeDisabled();
    await expect(page.getByRole("status").filter({ hasText: "Follow your device's prompt" })).toBeVisible();
    await page.getByRole("button", { name: "Stop waiting" }).click();
    await expect(page.getByTestId("step-up-error")).toHaveText(
      /^You stopped waiting for your passkey\. Nothing was sent or changed\./,
    );
    await expect(page.getByRole("button", { name: "Stop waiting" })).toHaveCount(0);
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
    expect(intent(id).status).toBe("PENDING");

    await presence(true);
    await confirmStepUp(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);
  });

  test("a credential removed from the device fails cleanly", async ({ page, customerWithPasskey, authenticator }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const id = await askForTransfer(page, "ACME Ltd", "300.00");
    const before = snapshot(customerWithPasskey.email);
    await authenticator.cdp.send("WebAuthn.clearCredentials", { authenticatorId: authenticator.authenticatorId });
    await page.getByRole("button", { name: "Confirm with passkey" }).click();
    await expect(page.getByTestId("step-up-error")).toContainText("this device has no passkey for Vault");
    await expect(page.getByRole("button", { name: "Confirm with passkey" })).toBeEnabled();
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
    expect(intent(id).status).toBe("PENDING");
  });

  test("5 failed assertions lock step-up for 15 minutes, with a warning first; cancelling still works", async ({
    page,
    customerWithPasskey,
    authenticator,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const id = await askForTransfer(page, "ACME Ltd", "300.00");
    const before = snapshot(customerWithPasskey.email);
    await forgePasskey(authenticator); // same credential id, wrong key: the server's signature check fails
    const confirm = page.getByRole("button", { name: "Confirm with passkey" });
    const error = page.getByTestId("step-up-error");
    const expected = [
      "Your passkey wasn't accepted. Try again, or use another passkey.",
      "Your passkey wasn't accepted. Try again, or use another passkey.",
      "Your passkey wasn't accepted. 2 attempts left before confirmation is paused for 15 minutes.",
      "Your passkey wasn't accepted. 1 attempt left before confirmation is paused for 15 minutes.",
      "Too many failed attempts. Passkey confirmation is paused for 15 minute(s).",
    ];
    for (const message of expected) {
      await confirm.click();
      await expect(error).toHaveText(message);
    }
    await expect(confirm).toBeDisabled();
    await expect(page.getByTestId("step-up-next-step")).toContainText("You can cancel this request below");
    await page.reload();
    await expect(error).toContainText("Too many failed attempts");
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
    expect(auditOf(customerWithPasskey.email, "step_up.locked")).toHaveLength(1);
    expect(auditOf(customerWithPasskey.email, "step_up.verify").filter((e) => e.outcome === "FAILURE")).toHaveLength(5);

    // Browsing and cancelling are never blocked.
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page).toHaveURL(/\/transfers\/new\?/);
    expect(intent(id).status).toBe("CANCELLED");
  });

  test("Edit ends the confirmation and goes back to the form with what was typed", async ({
    page,
    customerWithPasskey,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const before = snapshot(customerWithPasskey.email);
    const id = await askForTransfer(page, "ACME Ltd", "1250.00");
    await page.getByTestId("step-up-edit").click();
    await expect(page).toHaveURL(/\/transfers\/new\?/);
    await expect(page.getByLabel("Amount (USD)")).toHaveValue("1250.00");
    await expect(page.getByLabel("To")).toHaveValue(/^payee:/);
    // The old confirmation can't be used any more, from this tab or another.
    expect(intent(id).status).toBe("CANCELLED");
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
  });

  test("Cancel leaves nothing but the audit, and the intent can't be confirmed afterwards", async ({
    page,
    customerWithPasskey,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const before = snapshot(customerWithPasskey.email);
    const id = await askForTransfer(page, "ACME Ltd", "1250.00");
    await page.getByRole("button", { name: "Cancel" }).click();
    // Back on the form with what was typed (the step-up page's Edit goes there too).
    await expect(page).toHaveURL(/\/transfers\/new\?/);
    await expect(page.getByLabel("Amount (USD)")).toHaveValue("1250.00");
    await expect(page.getByTestId("toast")).toHaveText(/Cancelled\. Nothing was sent or changed\./);
    expect(intent(id).status).toBe("CANCELLED");
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
    expect(auditOf(customerWithPasskey.email, "step_up.cancel")).toHaveLength(1);
    await page.goto(`/step-up/${id}`);
    await expect(page.getByTestId("step-up-status")).toHaveText(/You cancelled this. Nothing was sent or changed./);
    await expect(page.getByRole("button", { name: "Confirm with passkey" })).toHaveCount(0);
  });
});

/** Makes this page's browser report no passkey autofill, so only the "Sign in with a passkey" button is offered. */
async function withoutAutofill(page: Page) {
  await blockPasskeyAutofill(page);
  await page.reload(); // init scripts apply from the next document on (sign-out navigates client-side)
}

test.describe("passkey sign-in", () => {
  test("through autofill; then a reveal needs no prompt, but a large transfer still asks, because it is bound", async ({
    page,
    customerWithPasskey,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    // The login page starts a conditional (autofill) request; Chromium's virtual authenticator picks
    // the discoverable passkey as a user would from the email field's suggestions.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    const claims = await sessionClaims(page);
    expect(claims.amr).toEqual(["pop", "user", "mfa"]);
    expect(claims.acr).toBe("urn:vault:acr:phr");
    expect(claims.phr_time).toBe(claims.auth_time);
    expect(auditOf(customerWithPasskey.email, "auth.sign_in").at(-1)?.metadata).toContain('"method":"passkey"');

    const [checking] = accountsOf(customerWithPasskey.email);
    await page.goto(`/accounts/${checking.id}`);
    await page.getByRole("button", { name: "Reveal" }).click();
    await expect(page.getByTestId("account-number")).toHaveText(numberOf(checking.id));

    await askForTransfer(page, "ACME Ltd", "1250.00");
    await expect(page.getByTestId("step-up-title")).toHaveText("Send $1,250.00 to ACME Ltd");
    await confirmStepUp(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);
  });

  test("with the button, where the browser offers no autofill", async ({ page, customerWithPasskey: _customer }) => {
    await withoutAutofill(page);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    expect((await sessionClaims(page)).acr).toBe("urn:vault:acr:phr");
  });

  test("a passkey removed from Vault no longer signs in", async ({ page, customerWithPasskey }) => {
    await withoutAutofill(page);
    writeE2eDb(`DELETE FROM "Passkey" WHERE userId = ?`, userId(customerWithPasskey.email)); // e.g. removed on another device
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page.getByTestId("passkey-sign-in-error")).toContainText("That passkey wasn't accepted");
    await expect(page).toHaveURL(/\/login/);
    expect(await (await page.request.get("/api/auth/session")).json()).toBeNull();
  });
});

test.describe("attacks, each rejected with nothing changed", () => {
  test("a large transfer submitted directly, with forged fields, still waits for step-up", async ({
    page,
    customerWithPasskey,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const before = snapshot(customerWithPasskey.email);
    await fillTransfer(page, "ACME Ltd", "1250.00");
    const forged = { intentId: "x".repeat(24), sca: "STEP_UP", stepUp: "done", amr: "pop,mfa" };
    await craft(page, TRANSFER_FORM, forged);
    await reviewTransfer(page);
    // The review sends back only the operation's own fields: forge them into the send as well.
    await expect(page.getByTestId("transfer-review")).toBeVisible();
    await craft(page, TRANSFER_FORM, forged);
    await page.getByRole("button", { name: "Send money" }).click();
    await expect(page).toHaveURL(/\/step-up\//);
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
  });

  test("a captured assertion replayed, to the same or to a new intent, moves nothing", async ({
    page,
    customerWithPasskey,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const first = await askForTransfer(page, "ACME Ltd", "1250.00");
    const captured = nextActionCall(page, (body) => body.includes(first) && body.includes("clientDataJSON"));
    await confirmStepUp(page);
    const call = await captured;
    await expect(page).toHaveURL(TRANSFER_PAGE);
    const after = snapshot(customerWithPasskey.email);

    expect(await replayAction(page, call)).toContain('"ok":false');
    const second = await askForTransfer(page, "ACME Ltd", "1250.00");
    expect(await replayAction(page, call, call.body.replaceAll(first, second))).toContain('"ok":false');
    expect(snapshot(customerWithPasskey.email)).toEqual(after);
    expect(intent(second).status).toBe("PENDING");
  });

  test("two completions of one intent, racing, move the money once", async ({ page, customerWithPasskey }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const id = await askForTransfer(page, "ACME Ltd", "1250.00");
    const before = accountsOf(customerWithPasskey.email)[0].balance;
    // Hold the browser's own completion; send the same signed request twice at once instead.
    let results: string[] = [];
    await page.route("**/*", async (route) => {
      const body = route.request().postData() ?? "";
      if (route.request().method() !== "POST" || !body.includes(id) || !body.includes("clientDataJSON"))
        return route.continue();
      const call = await actionCallOf(route.request());
      results = await Promise.all([replayAction(page, call), replayAction(page, call)]);
      return route.abort();
    });
    await page.getByRole("button", { name: "Confirm with passkey" }).click();
    await expect.poll(() => results.length).toBe(2);
    expect(results.filter((r) => r.includes('"ok":true'))).toHaveLength(1);
    expect(intent(id).status).toBe("CONSUMED");
    expect(accountsOf(customerWithPasskey.email)[0].balance).toBe(before - 125_000);
    expect(paymentsOf(customerWithPasskey.email).filter((t) => t.amount === 125_000)).toHaveLength(1);
  });

  test("an intent altered in the database after the challenge was issued can't be confirmed", async ({
    page,
    customerWithPasskey,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const id = await askForTransfer(page, "ACME Ltd", "1250.00");
    const before = snapshot(customerWithPasskey.email);
    await page.route("**/*", async (route) => {
      const body = route.request().postData() ?? "";
      if (route.request().method() === "POST" && body.includes(id) && body.includes("clientDataJSON")) {
        // The assertion is signed; now someone with database access raises the amount (and fixes the hash).
        const { payload } = intent(id);
        const altered = payload.replace('"amount":"1250.00"', '"amount":"9000.00"');
        expect(
          writeE2eDb(
            `UPDATE "StepUpIntent" SET payload = ?, payloadHash = ? WHERE id = ?`,
            altered,
            createHash("sha256").update(altered).digest("hex"),
            id,
          ),
        ).toBe(1);
      }
      return route.continue();
    });
    await page.getByRole("button", { name: "Confirm with passkey" }).click();
    await expect(page.getByTestId("step-up-error")).toContainText("wasn't accepted");
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
    expect(auditOf(customerWithPasskey.email, "step_up.verify").at(-1)?.reason).toMatch(/challenge/i);
  });

  test("another user's intent id is not found, by URL or by action call", async ({
    page,
    browser,
    customerWithPasskey,
  }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    const victimIntent = await askForTransfer(page, "ACME Ltd", "1250.00");
    const victimBefore = snapshot(customerWithPasskey.email);

    const context = await browser.newContext();
    try {
      const attacker = await context.newPage();
      await signUp(attacker, {
        name: "Mallory",
        email: `mallory-${randomUUID()}@example.com`,
        password: "mallory's long passphrase",
      });
      await expect(attacker).toHaveURL(/\/dashboard$/);
      expect((await attacker.goto(`/step-up/${victimIntent}`))?.status()).toBe(404);

      // Mallory's own step-up, with the victim's intent id substituted into the real Cancel action call.
      await attacker.goto("/payees");
      await attacker.getByLabel("Payee name").fill("Mule");
      await attacker.getByLabel("IBAN", { exact: true }).fill(IBAN);
      await attacker.getByRole("button", { name: "Add payee" }).click();
      await expect(attacker).toHaveURL(/\/step-up\//);
      const own = intentIdOf(attacker);
      const captured = nextActionCall(attacker, (body) => body.includes(own));
      await attacker.getByRole("button", { name: "Cancel" }).click();
      const call = await captured;
      await replayAction(attacker, call, call.body.replaceAll(own, victimIntent));
    } finally {
      await context.close();
    }
    expect(intent(victimIntent).status).toBe("PENDING");
    expect(snapshot(customerWithPasskey.email)).toEqual(victimBefore);
    // The victim can still confirm their own intent.
    await confirmStepUp(page);
    await expect(page).toHaveURL(TRANSFER_PAGE);
  });

  test("claims forged through POST /api/auth/session are ignored", async ({ page, signedInCustomer: _signedIn }) => {
    const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const now = Math.floor(Date.now() / 1000);
    const forged = await page.request.post("/api/auth/session", {
      data: {
        csrfToken,
        data: {
          amr: ["pop", "hwk", "mfa"],
          acr: "urn:vault:acr:phr",
          phr_time: now,
          auth_time: now,
          grant: "forged-grant",
        },
      },
    });
    expect(forged.status()).toBe(200);
    const claims = await sessionClaims(page);
    expect(claims.amr).toEqual(["pwd"]);
    expect(claims.acr).toBe("urn:vault:acr:aal1");
    expect(claims.phr_time).toBeUndefined();
  });

  test("an assertion made on another origin is refused", async ({ page, customerWithPasskey }) => {
    await addPayee(page, "ACME Ltd", IBAN);
    // One genuine completion, to learn how the page calls the completion action.
    const warmUp = await askForTransfer(page, "ACME Ltd", "1250.00");
    const captured = nextActionCall(page, (body) => body.includes(warmUp) && body.includes("clientDataJSON"));
    await confirmStepUp(page);
    const call = await captured;
    const before = snapshot(customerWithPasskey.email);

    // A second intent: Vault issues its bound challenge, which the test takes instead of the browser.
    const id = await askForTransfer(page, "ACME Ltd", "1000.00"); // within what the warm-up left (funds are checked first)
    await captureNextGet(page, new URL(page.url()).origin);
    await page.reload();
    await page.getByRole("button", { name: "Confirm with passkey" }).click();
    const options = await capturedOptions(page);

    // The same authenticator signs that challenge on http://localhost:<other port>.
    const other = await startOtherOrigin();
    try {
      await page.goto(other.origin);
      const foreign = await assertHere(page, options);
      const clientData = JSON.parse(
        Buffer.from(String((foreign.response as { clientDataJSON: string }).clientDataJSON), "base64url").toString(),
      ) as { origin: string };
      expect(clientData.origin).toBe(other.origin);
      const body = JSON.stringify([id, foreign]);
      expect(await replayAction(page, call, body)).toContain('"ok":false');
    } finally {
      await other.close();
    }
    expect(snapshot(customerWithPasskey.email)).toEqual(before);
    expect(intent(id).status).toBe("PENDING");
    expect(auditOf(customerWithPasskey.email, "step_up.verify").at(-1)?.reason).toMatch(/origin/i);
  });
});
