"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createApiClient, revokeMyApiClient } from "@/lib/api/clients";
import { StepUpRequired } from "@/lib/assurance/guard";
import { type ActionState, DomainError, isFormData, stepUpPath, toErrorState, unreadableForm } from "@/lib/errors";
import { setFlash } from "@/lib/flash-server";

/**
 * The one place a token's secret leaves the server: in the answer to the customer who just made it,
 * once. Only its hash is stored, so it can't be shown again.
 */
export type CreateApiClientState = ActionState | { status: "created"; clientId: string; secret: string; name: string };

export async function createApiClientAction(
  _prev: CreateApiClientState,
  formData: FormData,
): Promise<CreateApiClientState> {
  if (!isFormData(formData)) return unreadableForm;
  const raw = {
    name: formData.get("name") ?? undefined,
    scopes: formData.getAll("scopes").filter((v) => typeof v === "string"),
    days: formData.get("days") ?? undefined,
  };
  let stepUp: string;
  try {
    const created = await createApiClient(raw);
    revalidatePath("/settings/security");
    return { status: "created", clientId: created.clientId, secret: created.secret, name: created.name };
  } catch (err) {
    if (!(err instanceof StepUpRequired)) {
      const values = {
        name: typeof raw.name === "string" ? raw.name.slice(0, 60) : "",
        days: typeof raw.days === "string" ? raw.days.slice(0, 4) : "",
        scopes: raw.scopes.join(" ").slice(0, 100),
      };
      return toErrorState(err, values);
    }
    stepUp = stepUpPath(err.intentId);
  }
  redirect(stepUp);
}

export async function revokeApiClientAction(formData: FormData): Promise<void> {
  try {
    await revokeMyApiClient(isFormData(formData) ? formData.get("clientId") : null);
    await setFlash("api.revoked");
  } catch (err) {
    if (!(err instanceof DomainError)) throw err; // not found: nothing to revoke
  }
  revalidatePath("/settings/security");
}
