import type { Member } from '@av-gym/protocol';
import { useDesk } from '../../app/desk-context.js';
import { clubName } from './use-desk-club.js';

/** ` · Central` (and `only` for a home-only member) when the chain has several clubs; nothing otherwise. */
export function HomeClub(props: { member: Member; long?: boolean }) {
  const { club } = useDesk();
  const { homeClubId, accessRule } = props.member;
  if (!club || club.clubs.length < 2 || homeClubId === undefined) return null;
  const name = clubName(club.clubs, homeClubId);
  if (!props.long) return <> · {name}</>;
  return (
    <>
      {' '}
      · home club {name} ({accessRule === 'home' ? 'that club only' : 'all clubs'})
    </>
  );
}
