"use server";

import { revalidatePath } from "next/cache";
import { isFormData } from "@/app/_lib/action-state";
import { operationAction } from "@/app/_lib/operation-action";
import { apiClientCreate, revokeMyApiClient } from "@/lib/api/clients";
import { DomainError } from "@/lib/errors";
import { setFlash } from "@/lib/flash-server";

/**
 * The one place a token's secret leaves the server: in the answer to the customer who just made it,
 * once. Only its hash is stored, so it can't be shown again.
 */
export const createApiClientAction = operationAction(apiClientCreate, {
  input: (fields, _actor, formData) => ({
    name: fields.name,
    scopes: formData.getAll("scopes").filter((v) => typeof v === "string"),
    days: fields.days,
  }),
  keep: (formData) => ({
    name: String(formData.get("name") ?? "").slice(0, 60),
    days: String(formData.get("days") ?? "").slice(0, 4),
    scopes: formData
      .getAll("scopes")
      .filter((v) => typeof v === "string")
      .join(" ")
      .slice(0, 100),
  }),
  show: (created) => ({ clientId: created.clientId, secret: created.secret, name: created.name }),
  revalidate: ["/settings/security"],
});

export async function revokeApiClientAction(formData: FormData): Promise<void> {
  try {
    await revokeMyApiClient(isFormData(formData) ? formData.get("clientId") : null);
    await setFlash("api.revoked");
  } catch (err) {
    if (!(err instanceof DomainError)) throw err; // not found: nothing to revoke
  }
  revalidatePath("/settings/security");
}
