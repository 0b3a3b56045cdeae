import { CheckInAlert, type CheckInAlertType } from '@av-gym/protocol';
import * as z from 'zod';
import type { IconName } from '../../app/icon.js';

/** How each alert type looks on the desk: an icon and a short label beside the server's words. */
export const ALERT_LOOK: Readonly<Record<CheckInAlertType, { icon: IconName; label: string }>> = {
  expired: { icon: 'cross', label: 'Expired' },
  frozen: { icon: 'snowflake', label: 'Frozen' },
  expiring_soon: { icon: 'clock', label: 'Expiring soon' },
  balance_due: { icon: 'coin', label: 'Balance due' },
  waiver_missing: { icon: 'document', label: 'Waiver missing' },
  pass_back: { icon: 'repeat', label: 'Pass-back' },
  staff_note: { icon: 'note', label: 'Staff note' },
  birthday: { icon: 'gift', label: 'Birthday' },
};

const AlertList = z.array(CheckInAlert);
const Refusal = z.object({
  alerts: AlertList.optional(),
  reasons: z.array(z.object({ code: z.string(), text: z.string(), overridable: z.boolean() })).optional(),
});
const Override = z.object({ reason: z.string(), by: z.string().nullable() });

/** The alerts of an accepted check-in (ack info or check_in.created data); [] when none or malformed. */
export function alertsOf(source: unknown): CheckInAlert[] {
  if (source === null || typeof source !== 'object') return [];
  const parsed = AlertList.safeParse((source as { alerts?: unknown }).alerts);
  return parsed.success ? parsed.data : [];
}

/** The override an accepted check-in carried, if any. */
export function overrideOf(source: unknown): { reason: string; by: string | null } | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const parsed = Override.safeParse((source as { override?: unknown }).override);
  return parsed.success ? parsed.data : undefined;
}

/** What a refused check-in says about alerts: the alerts, and whether an override could let the member in. */
export function refusalOf(data: unknown): { alerts: CheckInAlert[]; overridable: boolean } {
  const parsed = Refusal.safeParse(data);
  if (!parsed.success) return { alerts: [], overridable: false };
  const reasons = parsed.data.reasons ?? [];
  return {
    alerts: parsed.data.alerts ?? [],
    overridable: reasons.length > 0 && reasons.every((r) => r.overridable),
  };
}
