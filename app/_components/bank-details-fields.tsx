"use client";

import { useState } from "react";
import { Field } from "@/app/_components/field";
import type { FieldErrors } from "@/lib/errors";

/** Name plus either an IBAN or a routing/sort code and account number (payees and payout). */
export function BankDetailsFields({
  nameLabel,
  values,
  errors,
}: {
  nameLabel: string;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const [scheme, setScheme] = useState(values.scheme === "domestic" ? "domestic" : "iban");
  const k = (name: string) => `${name}-${values[name] ?? ""}`;
  return (
    <>
      <Field
        name="name"
        label={nameLabel}
        defaultValue={values.name}
        key={k("name")}
        error={errors.name}
        required
        autoComplete="off"
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Account details</legend>
        <div className="flex gap-4 text-sm">
          {[
            ["iban", "International (IBAN)"],
            ["domestic", "Domestic (routing or sort code)"],
          ].map(([value, label]) => (
            <label key={value} className="flex items-center gap-2">
              <input
                type="radio"
                name="scheme"
                value={value}
                checked={scheme === value}
                onChange={() => setScheme(value)}
              />
              {label}
            </label>
          ))}
        </div>
        {errors.scheme && (
          <p id="scheme-error" className="text-sm font-medium text-red-700">
            {errors.scheme}
          </p>
        )}
      </fieldset>
      {scheme === "iban" ? (
        <Field
          name="iban"
          label="IBAN"
          defaultValue={values.iban}
          key={k("iban")}
          error={errors.iban}
          hint="For example GB82 WEST 1234 5698 7654 32"
          autoComplete="off"
        />
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            name="routingCode"
            label="Routing number or sort code"
            defaultValue={values.routingCode}
            key={k("routingCode")}
            error={errors.routingCode}
            inputMode="numeric"
            autoComplete="off"
          />
          <Field
            name="accountNumber"
            label="Account number"
            defaultValue={values.accountNumber}
            key={k("accountNumber")}
            error={errors.accountNumber}
            inputMode="numeric"
            autoComplete="off"
          />
        </div>
      )}
    </>
  );
}
