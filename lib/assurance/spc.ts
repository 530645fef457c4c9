import { z } from "zod";

/**
 * Secure Payment Confirmation (W3C SPC, https://www.w3.org/TR/secure-payment-confirmation/): for a
 * payment intent, the browser itself shows the payee, the amount and the instrument in its own
 * dialog, and the passkey signs a clientDataJSON of type "payment.get" whose `payment` member holds
 * exactly those values (SPC §4.2, CollectedClientPaymentData). The server then checks what was shown
 * against the stored intent, so "what you see is what you sign" no longer depends on the page
 * (PSD2 RTS Art. 5(1)(a): "the payer is made aware of the amount and of the payee").
 *
 * The challenge is the same intent-bound challenge as a WebAuthn step-up (binding.ts): SPC adds a
 * browser-rendered, signed statement of the payment on top of it, and takes nothing away.
 */

/** Which ceremony a step-up's live challenge was issued for (StepUpIntent.ceremony). */
export type Ceremony = "webauthn" | "spc";
/** The clientDataJSON `type` each ceremony signs (WebAuthn L3 §5.8.1; SPC §4.2). */
export const CLIENT_DATA_TYPE: Record<Ceremony, "webauthn.get" | "payment.get"> = {
  webauthn: "webauthn.get",
  spc: "payment.get",
};
export const ceremonyOfType = (type: unknown): Ceremony | null =>
  type === "payment.get" ? "spc" : type === "webauthn.get" ? "webauthn" : null;

/** What a payment operation asks the browser to show: built only from the intent's stored payload. */
export type PaymentDetails = {
  payeeName: string;
  /** The amount exactly as the ledger writes it (lib/money.ts toDecimalString), e.g. "1250.00". */
  total: { value: string; currency: string };
  instrument: { displayName: string };
};

/** The instrument's icon, served by Vault (public/): the browser fetches it to draw its dialog. */
export const INSTRUMENT_ICON_PATH = "/payment-instrument.png";

/** What the step-up page passes to `new PaymentRequest(…)`, all of it from the server. */
export type SpcRequest = PaymentDetails & {
  /** base64url credential ids of the customer's passkeys registered with the payment extension. */
  credentialIds: string[];
  /** base64url, the intent-bound challenge (binding.ts). */
  challenge: string;
  rpId: string;
  /** Absolute URL of the instrument's icon. */
  icon: string;
  timeout: number;
};

/** The signed `payment` member of a "payment.get" clientDataJSON (SPC §4.2), as far as Vault checks it. */
const signedPaymentSchema = z.object({
  rpId: z.string().max(256),
  topOrigin: z.string().max(2048),
  payeeName: z.string().max(1024).optional(),
  total: z.object({ value: z.string().max(64), currency: z.string().max(16) }),
  instrument: z.object({ displayName: z.string().max(1024), icon: z.string().max(8192).optional() }),
});
export type SignedPayment = z.infer<typeof signedPaymentSchema>;

/** The `payment` member of a clientDataJSON (base64url), or null when there is none or it is malformed. */
export function signedPaymentOf(clientDataJSON: string): SignedPayment | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { payment?: unknown };
    const parsed = signedPaymentSchema.safeParse(data.payment);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Why what the browser showed and the passkey signed differs from the intent, or null when it is the
 * same: the amount and currency as exact strings, the payee, the instrument, and that the dialog was
 * Vault's own (the rpId, and a top-level origin that is one of Vault's).
 */
export function paymentMismatch(
  expected: PaymentDetails,
  signed: SignedPayment | null,
  rp: { id: string; origins: readonly string[] },
): string | null {
  if (!signed) return "payment_missing";
  if (signed.total.value !== expected.total.value) return "payment_amount";
  if (signed.total.currency !== expected.total.currency) return "payment_currency";
  if (signed.payeeName !== expected.payeeName) return "payment_payee";
  if (signed.instrument.displayName !== expected.instrument.displayName) return "payment_instrument";
  if (signed.rpId !== rp.id) return "payment_rp_id";
  if (!rp.origins.includes(signed.topOrigin)) return "payment_top_origin";
  return null;
}
