import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/app/_components/auth-card";
import { getSessionUser } from "@/lib/auth/current-user";
import { SignUpForm } from "./signup-form";
import { BRAND } from "@/lib/brand";

export const metadata: Metadata = { title: "Open an account" };

export default async function SignUpPage() {
  if (await getSessionUser()) redirect("/dashboard");
  return (
    <AuthCard
      title="Open an account"
      footer={
        <>
          Already with {BRAND.name}?{" "}
          <Link href="/login" className="font-medium text-accent-700 underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm />
    </AuthCard>
  );
}
