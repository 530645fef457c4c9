/** Banking helpers shared by the e2e specs: database look-ups, forms, and crafted submissions. */
import type { Locator, Page } from "@playwright/test";
import { confirmStepUp, expect, hydrated } from "../fixtures";
import { queryE2eDb, writeE2eDb } from "./e2e-db";

export const TRANSFER_FORM = "form:has([name=idempotencyKey])";
/** A transfer's detail page (not /transfers/new). */
export const TRANSFER_PAGE = /\/transfers\/(?!new$)[a-z0-9]+$/;

export type Account = { id: string; name: string; balance: number };
export const accountsOf = (email: string) =>
  queryE2eDb<Account>(
    `SELECT a.id, a.name, a.balance FROM "Account" a JOIN "User" u ON u.id = a.userId WHERE u.email = ? ORDER BY a.createdAt`,
    email.toLowerCase(),
  );
export const userId = (email: string) =>
  queryE2eDb<{ id: string }>(`SELECT id FROM "User" WHERE email = ?`, email.toLowerCase())[0].id;

/**
 * Moves a customer's set-up (sign-up, password, passkeys, payees) `days` into the past, as
 * lib/testing/fixtures.ts settle() does for the integration tests: a customer of some standing, whose
 * set-up is no recent security change for the risk signals (lib/risk).
 */
export function settleCustomer(email: string, days = 2) {
  const id = userId(email);
  const shift = days * 24 * 60 * 60 * 1000;
  // Prisma stores SQLite DateTimes as ISO-8601 text or epoch milliseconds: keep whichever it is.
  const back = (v: string | number) =>
    typeof v === "number" ? v - shift : new Date(new Date(v).getTime() - shift).toISOString();
  for (const table of ["Passkey", "Payee"]) {
    for (const row of queryE2eDb<{ id: string; createdAt: string | number }>(
      `SELECT id, createdAt FROM "${table}" WHERE userId = ?`,
      id,
    ))
      writeE2eDb(`UPDATE "${table}" SET createdAt = ? WHERE id = ?`, back(row.createdAt), row.id);
  }
  const [user] = queryE2eDb<{ createdAt: string | number; passwordChangedAt: string | number }>(
    `SELECT createdAt, passwordChangedAt FROM "User" WHERE id = ?`,
    id,
  );
  writeE2eDb(
    `UPDATE "User" SET createdAt = ?, passwordChangedAt = ? WHERE id = ?`,
    back(user.createdAt),
    back(user.passwordChangedAt),
    id,
  );
}

/**
 * Everything an action could change for these users. A rejected action must leave all of it as it
 * was. (Scoped to the users, because other tests run in parallel on the same database.)
 */
export function snapshot(...emails: string[]) {
  const ids = emails.map(userId);
  const marks = ids.map(() => "?").join(", ");
  const one = (sql: string) => JSON.stringify(queryE2eDb(sql.replaceAll("$USERS", marks), ...ids));
  return {
    balances: one(`SELECT id, balance FROM "Account" WHERE userId IN ($USERS) ORDER BY id`),
    transfers: one(`SELECT COUNT(*) AS n FROM "Transfer" WHERE userId IN ($USERS)`),
    entries: one(
      `SELECT COUNT(*) AS n FROM "LedgerEntry" e JOIN "Account" a ON a.id = e.accountId WHERE a.userId IN ($USERS)`,
    ),
    payees: one(`SELECT id, removedAt, firstPaidAt FROM "Payee" WHERE userId IN ($USERS) ORDER BY id`),
    payouts: one(
      `SELECT userId, holderName, iban, routingCode, accountNumber FROM "PayoutDestination" WHERE userId IN ($USERS) ORDER BY userId`,
    ),
  };
}

/** Adds a payee; a valid one goes through the bound step-up (policy "payee.add") unless told not to. */
export async function addPayee(page: Page, name: string, iban: string, { confirm = true } = {}) {
  await page.goto("/payees");
  await page.getByLabel("Payee name").fill(name);
  await page.getByLabel("IBAN", { exact: true }).fill(iban);
  await page.getByRole("button", { name: "Add payee" }).click();
  if (confirm) {
    await confirmStepUp(page);
    await expect(page).toHaveURL(/\/payees\?added=1$/);
  }
}

/**
 * Removing a payee asks first, in a dialog: open it from the row's Remove button and confirm.
 * `crafted` values are set on the dialog's form once it is open (opening re-renders it).
 */
export async function removePayeeFrom(row: Locator, crafted?: Record<string, string | null>) {
  await row.getByRole("button", { name: /^Remove / }).click();
  const dialog = row.page().getByRole("dialog");
  await expect(dialog).toBeVisible();
  if (crafted) await craft(row.page(), "dialog[open] form", crafted);
  await dialog.getByRole("button", { name: "Remove payee" }).click();
}

export async function fillTransfer(page: Page, to: string, amount: string, memo = "") {
  await page.goto("/transfers/new");
  const option = page.getByLabel("To").locator("option:not([disabled])", { hasText: to }).first();
  await page.getByLabel("To").selectOption((await option.getAttribute("value"))!);
  await page.getByLabel("Amount (USD)").fill(amount);
  if (memo) await page.getByLabel("Memo (optional)").fill(memo);
}

/** The transfer form's first step: Continue, which the server answers with the review or the form's errors. */
export async function reviewTransfer(page: Page) {
  await page.getByRole("button", { name: "Continue" }).click();
}

/** Both steps of a transfer: Continue to the review, then Send money. */
export async function sendTransfer(page: Page) {
  await reviewTransfer(page);
  await page.getByRole("button", { name: "Send money" }).click();
}

/**
 * Sets form controls to arbitrary values, as a crafted request would: existing controls get the value
 * (selects get a matching option), missing ones are added, and `null` disables a control so the
 * browser leaves the field out. React-managed elements are changed in place, never removed.
 */
export async function craft(page: Page, formSelector: string, values: Record<string, string | null>) {
  await hydrated(page);
  await page.evaluate(
    ({ formSelector, values }) => {
      const form = document.querySelector<HTMLFormElement>(formSelector)!;
      for (const [name, value] of Object.entries(values)) {
        const controls = [...form.elements].filter(
          (el): el is HTMLInputElement | HTMLSelectElement => "name" in el && (el as HTMLInputElement).name === name,
        );
        if (value === null) {
          controls.forEach((el) => (el.disabled = true));
          continue;
        }
        if (controls.length === 0) {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = name;
          input.value = value;
          form.append(input);
          continue;
        }
        for (const el of controls) {
          if (el instanceof HTMLSelectElement && ![...el.options].some((o) => o.value === value)) {
            el.append(new Option(value, value));
          }
          if (el instanceof HTMLInputElement && el.type === "radio") el.value = value;
          el.value = value;
        }
      }
    },
    { formSelector, values },
  );
}
