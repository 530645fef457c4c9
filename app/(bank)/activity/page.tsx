import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header";
import { parseAuditFilters } from "@/lib/audit/list";
import { requireUser } from "@/lib/auth/current-user";
import { AuditLog } from "@/app/(bank)/_components/audit-log";

export const metadata: Metadata = { title: "Activity log" };

export default async function ActivityPage({
  searchParams,
}: {
  searchParams: Promise<{ category?: string; outcome?: string }>;
}) {
  await requireUser();
  const filters = parseAuditFilters(await searchParams);
  return (
    <div>
      <PageHeader title="Activity log" description="Everything that happened on your account, newest first." />
      <AuditLog filters={filters} basePath="/activity" />
    </div>
  );
}
