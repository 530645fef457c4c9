import { Card } from "@/app/_components/card";
import { When } from "@/app/_components/when";
import type { Freeze } from "@/lib/auth/freeze";
import { UnfreezeForm } from "./unfreeze-form";

/** A frozen account's card: what the freeze does, and the way back (password, an older passkey, 24 hours). */
export function FreezeSection({ freeze }: { freeze: Freeze }) {
  return (
    <section className="space-y-3" aria-labelledby="freeze-heading" id="freeze">
      <h2 id="freeze-heading" className="text-lg font-semibold">
        Your account is frozen
      </h2>
      <Card className="space-y-3 border-red-200" data-testid="freeze-card">
        <p className="text-sm text-slate-700">
          Frozen since <When date={freeze.since} /> from a link in one of our security messages. Payments, payee and
          payout changes, new passkeys, new API tokens and recovery-code sign-in are refused.
        </p>
        {freeze.unfreezesAt ? (
          <p className="text-sm font-medium" data-testid="unfreeze-pending">
            Unfreeze confirmed: your account works again at <When date={freeze.unfreezesAt} />. If that wasn&apos;t you,
            use the link in the email we sent about it.
          </p>
        ) : (
          <UnfreezeForm />
        )}
      </Card>
    </section>
  );
}
