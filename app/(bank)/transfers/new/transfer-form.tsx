"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { buttonClass } from "@/app/_components/button";
import { Field } from "@/app/_components/field";
import { IntentDetails } from "@/app/_components/intent-details";
import { FormAlert } from "@/app/_components/form-alert";
import { SelectField } from "@/app/_components/select-field";
import { PendingFieldset } from "@/app/_components/pending-fieldset";
import { SubmitButton } from "@/app/_components/submit-button";
import { idle, type ActionState } from "@/app/_lib/action-state";
import type { Review } from "@/app/_lib/operation-action";
import { createTransferAction, reviewTransferAction } from "../actions";

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
  // Two steps, like the banks people like: the form, then a review of exactly what will happen
  // (checked by the server, nothing written), then Send. A refusal at either step comes back to the
  // form with what was typed and every message.
  const [shown, setShown] = useState<
    | { step: "form"; failed: Extract<ActionState, { status: "error" }> | null; values: Record<string, string> }
    | { step: "review"; review: Review }
  >({ step: "form", failed: null, values: {} });
  const [, toReview] = useActionState(async (prev: ActionState<Review>, formData: FormData) => {
    const next = await reviewTransferAction(prev, formData);
    if (next.status === "success" && next.result) setShown({ step: "review", review: next.result });
    else if (next.status === "error") setShown({ step: "form", failed: next, values: next.values });
    return next;
  }, idle);
  const [, send] = useActionState(async (prev: ActionState, formData: FormData) => {
    const next = await createTransferAction(prev, formData);
    if (next.status === "error") setShown({ step: "form", failed: next, values: next.values });
    return next;
  }, idle);

  if (shown.step === "review") {
    const { review } = shown;
    return (
      <ReviewStep
        review={review}
        send={send}
        edit={() => setShown({ step: "form", failed: null, values: review.values })}
      />
    );
  }

  const { failed } = shown;
  const values = shown.values;
  const k = (name: string) => `${name}-${values[name] ?? ""}`;
  return (
    <form action={toReview} className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm" noValidate>
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
        <SubmitButton pendingLabel="Checking…">Continue</SubmitButton>
      </PendingFieldset>
    </form>
  );
}

/** The review: what will happen, as the server checked it, with Send and Edit. It takes the focus when it appears. */
function ReviewStep({ review, send, edit }: { review: Review; send: (formData: FormData) => void; edit: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <form
      action={send}
      className="space-y-5 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm"
      data-testid="transfer-review"
      aria-labelledby="transfer-review-title"
    >
      <div>
        <p className="text-sm font-medium text-accent-700">Check the details</p>
        <h2
          id="transfer-review-title"
          ref={heading}
          tabIndex={-1}
          className="mt-1 text-xl font-semibold tracking-tight outline-none"
        >
          {review.title}
        </h2>
      </div>
      <IntentDetails description={review} testId="transfer-review-details" />
      {Object.entries(review.values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <PendingFieldset className="space-y-3">
        <SubmitButton pendingLabel="Sending…">Send money</SubmitButton>
        <button type="button" className={buttonClass("secondary", "md", "w-full")} onClick={edit}>
          Edit
        </button>
      </PendingFieldset>
    </form>
  );
}
