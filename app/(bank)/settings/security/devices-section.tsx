import { EmptyState } from "@/app/_components/empty-state";
import { getTimeZone } from "@/app/_components/when";
import type { DeviceView } from "@/lib/risk/my-devices";
import { formatWhen } from "@/lib/time-zone";
import { DeviceRow } from "./devices";

/**
 * The browsers a passkey has proved (lib/risk): on these, a usual payment to a regular payee can go
 * ahead without a passkey. Forgetting one makes its next sensitive action ask again (docs/risk.md).
 */
export async function DevicesSection({ devices }: { devices: DeviceView[] }) {
  const zone = await getTimeZone();
  return (
    <section className="space-y-3" aria-labelledby="devices-heading">
      <h2 id="devices-heading" className="text-lg font-semibold">
        Known devices
      </h2>
      <p className="text-sm text-slate-600">
        A browser becomes known when you use your passkey on it. On a known device, usual payments to regular payees may
        not ask for your passkey; anywhere else they do. Forget a device you no longer use.
      </p>
      {devices.length === 0 ? (
        <EmptyState testId="no-devices">
          No known devices yet. Using your passkey on this browser makes it one.
        </EmptyState>
      ) : (
        <ul
          className="divide-y divide-slate-200 rounded-2xl border border-slate-200 bg-white"
          aria-label="Known devices"
        >
          {devices.map((d) => (
            <DeviceRow
              key={d.id}
              id={d.id}
              name={d.name}
              current={d.current}
              detail={`passkey first used here ${formatWhen(d.firstProvedAt, zone)} · last ${formatWhen(d.lastProvedAt, zone)}`}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
