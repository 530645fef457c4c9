import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/app/_components/auth-card";
import { getSessionUser } from "@/lib/auth/current-user";
import { RecoverForm } from "./recover-form";
import { BRAND } from "@/lib/brand";

export const metadata: Metadata = { title: "Sign in with a recovery code" };

export default async function RecoverPage() {
  if (await getSessionUser()) redirect("/settings/security");
  return (
    <AuthCard
      title="Lost your passkey?"
      footer={
        <Link href="/login" className="font-medium text-accent-700 underline">
          Back to sign in
        </Link>
      }
    >
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          Sign in with your password and one of the recovery codes you saved when you added your first passkey. Then add
          a new passkey on this device.
        </p>
        <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
          For your safety, for 24 hours after a recovery sign-in {BRAND.name} holds new payees, payout changes and
          payments that need your passkey.
        </p>
        <RecoverForm />
      </div>
    </AuthCard>
  );
}
