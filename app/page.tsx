import Link from "next/link";
import { redirect } from "next/navigation";
import { Logo } from "@/app/_components/logo";
import { getSessionUser } from "@/lib/auth/current-user";

export default async function LandingPage() {
  if (await getSessionUser()) redirect("/dashboard");
  // From the top down, like AuthCard: nothing centred moves while a slow page arrives.
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-8 px-6 pt-16 pb-16 sm:pt-[18vh]">
      <div className="space-y-4">
        <Logo />
        <h1 className="text-4xl font-bold tracking-tight">Banking that asks for your passkey when it matters.</h1>
        <p className="text-lg text-slate-600">
          Sign in with your password to see your accounts. Sensitive actions, such as a large transfer or a new payee,
          are confirmed with a passkey bound to exactly what you approve.
        </p>
      </div>
      <div className="flex gap-3">
        <Link href="/login" className="rounded-lg bg-accent-600 px-5 py-2.5 font-medium text-white hover:bg-accent-700">
          Sign in
        </Link>
        <Link
          href="/signup"
          className="rounded-lg border border-slate-300 bg-white px-5 py-2.5 font-medium hover:bg-slate-100"
        >
          Open an account
        </Link>
      </div>
    </main>
  );
}
