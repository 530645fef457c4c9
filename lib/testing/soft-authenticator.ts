/**
 * A small software authenticator for tests and benchmarks: a real ES256 key pair (node:crypto) that
 * signs real authenticator data and client data, so the server's verification runs exactly as it
 * does for a browser. It can also misbehave on purpose (no UV, another origin, a rolled-back counter).
 * It is not a security device: the private key lives in memory.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

export type SoftAssertionOptions = {
  /** The challenge to sign, base64url (as in the options Vault sends). */
  challenge: string;
  origin: string;
  rpId: string;
  /** UV flag; Vault requires it. Default true. */
  userVerified?: boolean;
  /** Override the signature counter (default: the next value). */
  counter?: number;
  /** The user handle to return (base64url), as a discoverable credential does. */
  userHandle?: string;
  /**
   * A Secure Payment Confirmation assertion: clientDataJSON.type "payment.get" with this `payment`
   * member (W3C SPC §4.2, CollectedClientPaymentData), as the browser's payment dialog signs it.
   */
  payment?: Record<string, unknown>;
};

export class SoftAuthenticator {
  readonly credentialId = b64url(randomBytes(16));
  private readonly privateKey: KeyObject;
  /** The credential public key in COSE form (RFC 9053 EC2, ES256), as a passkey row stores it. */
  readonly cosePublicKey: Uint8Array;
  private counter = 0;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, new Uint8Array(Buffer.from(jwk.x!, "base64url"))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, "base64url"))],
    ]);
    this.cosePublicKey = isoCBOR.encode(cose);
  }

  /** An AuthenticationResponseJSON for these options, signed like a real authenticator (WebAuthn L3 §6.1, §7.2). */
  assert(o: SoftAssertionOptions) {
    this.counter = o.counter ?? this.counter + 1;
    const flags = 0x01 | (o.userVerified === false ? 0 : 0x04); // UP, UV
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const authenticatorData = Buffer.concat([
      createHash("sha256").update(o.rpId).digest(),
      Buffer.from([flags]),
      counter,
    ]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: o.payment ? "payment.get" : "webauthn.get",
        challenge: o.challenge,
        origin: o.origin,
        crossOrigin: false,
        ...(o.payment ? { payment: o.payment } : {}),
      }),
    );
    const signed = Buffer.concat([authenticatorData, createHash("sha256").update(clientDataJSON).digest()]);
    const signature = sign("sha256", signed, this.privateKey); // DER, as WebAuthn ES256 signatures are
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        ...(o.userHandle ? { userHandle: o.userHandle } : {}),
      },
      clientExtensionResults: {},
    };
  }
}
