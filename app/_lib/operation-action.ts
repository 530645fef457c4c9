import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import {
  formFields,
  isFormData,
  stepUpPath,
  toErrorState,
  unreadableForm,
  type ActionState,
} from "@/app/_lib/action-state";
import { StepUpRequired } from "@/lib/assurance/guard";
import type { IntentDescription, Operation } from "@/lib/assurance/operation";
import { perform, review } from "@/lib/assurance/pipeline";
import type { AuditAction } from "@/lib/audit/actions";
import { requireUser, type SessionUser } from "@/lib/auth/current-user";
import { setFlash } from "@/lib/flash-server";

type Options<R, Shown> = {
  /** The operation's input from the form; by default its text fields. May check more first (the current password). */
  input?: (fields: Record<string, string>, actor: SessionUser, formData: FormData) => unknown;
  /** The non-secret fields the form shows again after an error (bounded). */
  keep?: readonly string[] | ((formData: FormData) => Record<string, string>);
  /** "redirect": to the result (e.g. the receipt), with the confirmation as a toast. "stay": back to the form with it. */
  then?: "redirect" | "stay";
  /** The confirmation, when it should name the result; the operation's own `success` otherwise. */
  message?: (result: R) => string;
  /** What of the result the form shows (the one place a shown-once secret leaves the server). */
  show?: (result: R) => Shown;
  /** The confirmation travels as a toast on the next render too (the form itself goes away, e.g. a removed row). */
  flash?: boolean;
  /** Pages whose data the operation changed. */
  revalidate?: readonly string[];
  /** After success, e.g. a new session token after a password change. */
  after?: (actor: SessionUser, result: R) => Promise<void>;
};

/**
 * A form's server action for a protected operation: the sibling of the API's `protectedRoute`. It is
 * a public endpoint, so it authenticates by itself (the session), reads the FormData with the
 * operation's schema through the pipeline, maps a DomainError to form state, and turns a step-up
 * requirement into the redirect to the step-up page, where the validated operation waits.
 */
export function operationAction<In, P extends Record<string, unknown>, C, R, Shown = never>(
  op: Operation<In, P, C, R, AuditAction>,
  options: Options<R, Shown> = {},
): (prev: ActionState<Shown>, formData: FormData) => Promise<ActionState<Shown>> {
  return async (_prev, formData) => {
    if (!isFormData(formData)) return unreadableForm;
    const actor = await requireUser();
    const fields = formFields(formData);
    let next: string;
    try {
      const raw = options.input ? await options.input(fields, actor, formData) : fields;
      const result = await perform(op, actor, raw);
      await options.after?.(actor, result);
      for (const path of options.revalidate ?? []) revalidatePath(path);
      const message = options.message?.(result) ?? op.success;
      if (options.then === "redirect" && op.resume.kind === "run") {
        await setFlash(op.policies[0]);
        next = op.resume.to(result);
      } else {
        if (options.flash) await setFlash(op.policies[0]);
        return { status: "success", message, ...(options.show ? { result: options.show(result) } : {}) };
      }
    } catch (err) {
      if (!(err instanceof StepUpRequired)) {
        return toErrorState(
          err,
          typeof options.keep === "function" ? options.keep(formData) : kept(fields, options.keep),
        );
      }
      next = stepUpPath(err.intentId); // the validated operation waits there as a pending intent
    }
    redirect(next);
  };
}

/** What a review step shows, and the values its "send" submits unchanged. */
export type Review = Pick<IntentDescription, "title" | "details" | "warning"> & { values: Record<string, string> };

/**
 * The review step's server action for an operation (lib/assurance/pipeline.ts `review`): a public
 * endpoint like any other, so it authenticates by itself; it writes nothing and decides nothing, and
 * the operation's own action checks everything again when the customer sends. `keep` names the
 * fields the send submits (the idempotency key with them, so a double send runs once).
 */
export function reviewAction<In, P extends Record<string, unknown>, C, R>(
  op: Operation<In, P, C, R, AuditAction>,
  options: { keep: readonly string[] },
): (prev: ActionState<Review>, formData: FormData) => Promise<ActionState<Review>> {
  return async (_prev, formData) => {
    if (!isFormData(formData)) return unreadableForm;
    const actor = await requireUser();
    const fields = formFields(formData);
    const values = kept(fields, options.keep);
    let next: string;
    try {
      const reviewed = await review(op, actor, fields);
      if (!("replay" in reviewed)) {
        const { title, details, warning } = reviewed.description;
        return { status: "success", message: title, result: { title, details, warning, values } };
      }
      // Sent already with this form's key (a retry): its result.
      next = op.resume.kind === "run" ? op.resume.to(reviewed.replay) : "/dashboard";
    } catch (err) {
      return toErrorState(err, values);
    }
    redirect(next);
  };
}

const kept = (fields: Record<string, string>, keep: readonly string[] = []) =>
  Object.fromEntries(keep.map((name) => [name, (fields[name] ?? "").slice(0, 200)]));
