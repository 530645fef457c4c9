import { requestTimeZone } from "@/lib/request-time-zone";
import { formatWhen, type WhenStyle } from "@/lib/time-zone";

/** The customer's time zone for this render (lib/time-zone.ts); UTC until the browser has told us. */
export const getTimeZone = requestTimeZone;

/** A time in the customer's own zone, as a <time> element with the exact instant in dateTime. */
export async function When({
  date,
  style = "datetime",
  className,
}: {
  date: Date;
  style?: WhenStyle;
  className?: string;
}) {
  const zone = await getTimeZone();
  return (
    <time dateTime={date.toISOString()} className={className}>
      {formatWhen(date, zone, style)}
    </time>
  );
}
