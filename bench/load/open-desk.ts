import type { Desk } from './peer-desks.js';
import { RawWsDesk, SocketIoDesk } from './peer-desks.js';

/** The ingest variants: how a desk talks to its server. */
export type DeskVariant = 'av-gym' | 'av-gym-unbatched' | 'raw-ws' | 'socket.io';

/** Opens one desk of `variant` against the server on `port`. */
export async function openDesk(
  variant: DeskVariant,
  port: number,
  clientId: string,
  token?: string,
  codec?: 'json' | 'deflate-raw',
  acks?: 'full',
): Promise<Desk> {
  if (variant === 'raw-ws') return RawWsDesk.open(`ws://127.0.0.1:${port}/ws`, clientId, token);
  if (variant === 'socket.io') return SocketIoDesk.open(port);
  const { AvGymDesk } = await import('./av-gym-desk.js');
  return AvGymDesk.open({ port, clientId, token: token ?? '', batched: variant === 'av-gym', codec, acks });
}

/** Opens `count` desks, 50 at a time. */
export async function openDesks(
  variant: DeskVariant,
  port: number,
  count: number,
  token?: string,
  codec?: 'json' | 'deflate-raw',
  acks?: 'full',
): Promise<Desk[]> {
  const desks: Desk[] = [];
  for (let i = 0; i < count; i += 50) {
    const wave = [];
    for (let j = i; j < Math.min(count, i + 50); j++)
      wave.push(openDesk(variant, port, `desk-${j}`, token, codec, acks));
    desks.push(...(await Promise.all(wave)));
  }
  return desks;
}
