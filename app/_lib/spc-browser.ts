import { base64URLStringToBuffer, bufferToBase64URLString } from "@simplewebauthn/browser";
import type { SpcRequest } from "@/lib/assurance/spc";

/**
 * The browser half of Secure Payment Confirmation (W3C SPC; lib/assurance/spc.ts is the server's):
 * feature detection, the ceremony, and what its failures mean. Browser-only.
 */

type WithAvailability = typeof PaymentRequest & { securePaymentConfirmationAvailability?: () => Promise<string> };

/**
 * Whether this browser can show its own payment dialog now. `securePaymentConfirmationAvailability()`
 * gives the reason when it can't (e.g. "unavailable-feature-not-enabled"); `canMakePayment()` isn't
 * enough, since it says true without a platform authenticator.
 */
export async function spcAvailable(): Promise<boolean> {
  if (typeof window === "undefined" || typeof window.PaymentRequest !== "function") return false;
  const check = (window.PaymentRequest as WithAvailability).securePaymentConfirmationAvailability;
  if (typeof check !== "function") return false;
  try {
    return (await check.call(window.PaymentRequest)) === "available";
  } catch {
    return false;
  }
}

/** How an SPC ceremony ended without an assertion. */
export type SpcOutcome =
  /** The customer closed or rejected the dialog: the payment stays pending. */
  | "cancelled"
  /** "Verify another way", an opt-out, or a dialog the browser couldn't show: use WebAuthn instead. */
  | "fallback";

export class SpcEnded extends Error {
  constructor(readonly outcome: SpcOutcome) {
    super(outcome);
  }
}

/**
 * Runs the browser's payment dialog for the server's request and returns the assertion as
 * SimpleWebAuthn's AuthenticationResponseJSON (clientDataJSON of type "payment.get").
 * Throws SpcEnded: AbortError is a cancel; OptOutError (the customer opted out) and NotAllowedError
 * ("verify another way", or a passkey the dialog can't use) fall back to WebAuthn, as does anything else.
 */
export async function runSpc(spc: SpcRequest): Promise<unknown> {
  let response: PaymentResponse;
  try {
    const request = new PaymentRequest(
      [
        {
          supportedMethods: "secure-payment-confirmation",
          data: {
            credentialIds: spc.credentialIds.map((id) => base64URLStringToBuffer(id)),
            challenge: base64URLStringToBuffer(spc.challenge),
            rpId: spc.rpId,
            payeeName: spc.payeeName,
            instrument: { displayName: spc.instrument.displayName, icon: new URL(spc.icon, window.location.href).href },
            timeout: spc.timeout,
          },
        },
      ],
      { total: { label: "Total", amount: { currency: spc.total.currency, value: spc.total.value } } },
    );
    response = await request.show();
  } catch (err) {
    throw new SpcEnded(err instanceof DOMException && err.name === "AbortError" ? "cancelled" : "fallback");
  }
  await response.complete("success").catch(() => {});
  const credential = response.details as PublicKeyCredential;
  const assertion = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: bufferToBase64URLString(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: bufferToBase64URLString(assertion.clientDataJSON),
      authenticatorData: bufferToBase64URLString(assertion.authenticatorData),
      signature: bufferToBase64URLString(assertion.signature),
      ...(assertion.userHandle ? { userHandle: bufferToBase64URLString(assertion.userHandle) } : {}),
    },
    clientExtensionResults: {},
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
  };
}
