"use client";

import { Badge } from "@/app/_components/badge";
import { forgetDeviceAction, renameDeviceAction } from "./actions";
import { NamedRow } from "./named-row";

/** One known device: rename it, or forget it (its next sensitive action then asks for a passkey). */
export function DeviceRow({
  id,
  name,
  detail,
  current,
}: {
  id: string;
  name: string;
  detail: string;
  current: boolean;
}) {
  return (
    <NamedRow
      kind="device"
      idField="deviceId"
      id={id}
      name={name}
      nameField="name"
      detail={detail}
      badge={
        current && (
          <Badge tone="success" className="ml-2">
            This device
          </Badge>
        )
      }
      rename={renameDeviceAction}
      // Forgetting removes the row: its confirmation comes as a flash on the refreshed page.
      remove={{ action: forgetDeviceAction, label: "Forget", ariaLabel: `Forget ${name}` }}
    />
  );
}
