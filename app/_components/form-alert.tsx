/**
 * A form-level message, announced to screen readers when it appears. Given the form's field errors,
 * it stays silent when the message is already shown under a field: a message appears once.
 */
export function FormAlert({
  message,
  fieldErrors,
}: {
  message?: string;
  fieldErrors?: Partial<Record<string, string>>;
}) {
  if (!message) return null;
  if (fieldErrors && Object.values(fieldErrors).includes(message)) return null;
  return (
    <p
      role="alert"
      data-testid="form-alert"
      className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm font-medium text-red-800"
    >
      {message}
    </p>
  );
}

/** A success message (the operation is done), announced politely; nothing when there is none. */
export function FormSuccess({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p
      role="status"
      className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm font-medium text-emerald-800"
    >
      {message}
    </p>
  );
}
