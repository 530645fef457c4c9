"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import { FormAlert } from "@/app/_components/form-alert";
import { SelectField } from "@/app/_components/select-field";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle } from "@/app/_lib/action-state";
import { createTransferAction } from "../actions";

type Option = { id: string; label: string };

export function TransferForm({
  idempotencyKey,
  accounts,
  payees,
  defaultFrom,
  defaultTo,
  defaultAmount,
  defaultMemo,
}: {
  idempotencyKey: string;
  accounts: Option[];
  payees: Option[];
  defaultFrom?: string;
  /** "payee:<id>" or "account:<id>", from a payee's Pay button. */
  defaultTo?: string;
  /** Back from the step-up page's "Edit": what was typed. */
  defaultAmount?: string;
  defaultMemo?: string;
}) {
  const [state, action] = useActionState(createTransferAction, idle);
  const failed = state.status === "error" ? state : null;
  const values = failed?.values ?? {};
  const k = (name: string) => `${name}-${values[name] ?? ""}`;
  return (
    <form action={action} className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <PendingFieldset className="space-y-5">
        {/* The key is a hidden field: its error ("this form has expired") is the form's message. */}
        <FormAlert
          message={failed?.fieldErrors.idempotencyKey ?? failed?.message}
          fieldErrors={{ ...failed?.fieldErrors, idempotencyKey: undefined }}
        />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <SelectField
          name="fromAccountId"
          label="From"
          defaultValue={values.fromAccountId ?? defaultFrom ?? accounts[0]?.id}
          key={k("fromAccountId")}
          error={failed?.fieldErrors.fromAccountId}
        >
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="to"
          label="To"
          defaultValue={values.to ?? defaultTo ?? ""}
          key={k("to")}
          error={failed?.fieldErrors.to}
        >
          <option value="" disabled>
            Choose an account or payee
          </option>
          <optgroup label="Your accounts">
            {accounts.map((a) => (
              <option key={a.id} value={`account:${a.id}`}>
                {a.label}
              </option>
            ))}
          </optgroup>
          {payees.length > 0 && (
            <optgroup label="Payees">
              {payees.map((p) => (
                <option key={p.id} value={`payee:${p.id}`}>
                  {p.label}
                </option>
              ))}
            </optgroup>
          )}
        </SelectField>
        <Field
          name="amount"
          label="Amount (USD)"
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.00"
          defaultValue={values.amount ?? defaultAmount}
          key={k("amount")}
          error={failed?.fieldErrors.amount}
          hint="Up to $25,000.00 per transfer."
        />
        <Field
          name="memo"
          label="Memo (optional)"
          maxLength={140}
          defaultValue={values.memo ?? defaultMemo}
          key={k("memo")}
          error={failed?.fieldErrors.memo}
        />
        <SubmitButton pendingLabel="Sending…">Send money</SubmitButton>
      </PendingFieldset>
    </form>
  );
}
