import type { Alert } from '@av-gym/protocol';
import { useEffect, useState } from 'react';
import { useDesk } from '../../app/desk-context.js';
import { mergeAlerts } from './monitor-status.js';

/** How often the list is read again (alerts also arrive live on the `alerts` topic). */
const ALERTS_REFRESH_MS = 30_000;

/** The server's alerts: read at mount and every 30 s, and updated live from `alert` frames. */
export function useAlerts(): Alert[] {
  const { api, realtime } = useDesk();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .alerts()
        .then((list) => {
          if (live) setAlerts((cur) => mergeAlerts(cur, list, Date.now()));
        })
        .catch(() => {});
    void load();
    const timer = setInterval(load, ALERTS_REFRESH_MS);
    const off = realtime.on('alert', (a) => setAlerts((cur) => mergeAlerts(cur, [a], Date.now())));
    // after a reconnect the frames missed while away come from the list
    const offState = realtime.on('state', (s) => {
      if (s === 'open') void load();
    });
    return () => {
      live = false;
      clearInterval(timer);
      off();
      offState();
    };
  }, [api, realtime]);
  return alerts;
}
