"use server";

import { operationAction } from "@/app/_lib/operation-action";
import { limitChange } from "@/lib/banking/limits";

/** Raising the limit asks for the passkey (policy "limit.raise"); lowering it doesn't ("limit.lower"). */
export const changeLimitAction = operationAction(limitChange, {
  keep: ["limit"],
  revalidate: ["/settings/limits", "/transfers/new"],
});
