/**
 * Risk-aware step-up in the browser (lib/risk, docs/risk.md): the device cookie a passkey proved
 * makes a browser known, and a browser that isn't is asked, with the reason on the step-up page.
 */
import { addPayee, fillTransfer, sendTransfer, settleCustomer, TRANSFER_PAGE } from "./support/bank";
import { confirmStepUp, enrolFirstPasskey, expect, signIn, test } from "./fixtures";

const IBAN = "GB82 WEST 1234 5698 7654 32";

test("a new browser is asked for a passkey where the known one wasn't, and the step-up page says why", async ({
  page,
  browser,
  newUser,
  authenticator,
}) => {
  void authenticator;
  // Enrolling the passkey here makes this browser a known device; the payee and its first payment
  // are confirmed with it (a new payee is always asked for).
  await enrolFirstPasskey(page, newUser);
  await addPayee(page, "ACME Ltd", IBAN);
  await fillTransfer(page, "ACME Ltd", "20.00");
  await sendTransfer(page);
  await confirmStepUp(page);
  await expect(page).toHaveURL(TRANSFER_PAGE);
  const deviceCookie = (await page.context().cookies()).find((c) => c.name === "vault-device");
  expect(deviceCookie?.httpOnly, "the device cookie is HttpOnly").toBe(true);
  // The set-up is a day behind the customer now: no longer a recent security change.
  settleCustomer(newUser.email);

  // The known browser: a small payment to a payee paid before goes through without a prompt.
  await fillTransfer(page, "ACME Ltd", "25.00");
  await sendTransfer(page);
  await expect(page).toHaveURL(TRANSFER_PAGE);

  // Another browser (no device cookie), the same customer, the same payment: asked, and told why.
  const other = await browser.newContext();
  try {
    const elsewhere = await other.newPage();
    await signIn(elsewhere, newUser);
    await expect(elsewhere).toHaveURL(/\/dashboard$/);
    await fillTransfer(elsewhere, "ACME Ltd", "25.00");
    await sendTransfer(elsewhere);
    await expect(elsewhere).toHaveURL(/\/step-up\//);
    await expect(elsewhere.getByTestId("step-up-title")).toHaveText("Send $25.00 to ACME Ltd");
    await expect(elsewhere.getByTestId("step-up-why")).toContainText(
      "You're on a device you haven't confirmed with a passkey before.",
    );
  } finally {
    await other.close();
  }
});
