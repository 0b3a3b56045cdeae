import { useDesk } from '../../app/desk-context.js';
import './clubs.css';
import { clubName } from './use-desk-club.js';

/** The header's club of this desk: its name, and a select to set the desk up at another club. */
export function ClubSelect() {
  const { club } = useDesk();
  if (!club || club.clubs.length === 0) return null;
  return (
    <div className="desk-club">
      <label htmlFor="desk-club" className="muted">
        Club
      </label>
      <select
        id="desk-club"
        value={club.clubId ?? ''}
        onChange={(e) => void club.setClub(e.target.value)}
        aria-describedby={club.error ? 'desk-club-error' : undefined}
      >
        {club.clubs.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <span className="visually-hidden" aria-live="polite">
        This desk is at {clubName(club.clubs, club.clubId)}
      </span>
      {club.error ? (
        <span id="desk-club-error" role="alert" className="tone-text-bad">
          {club.error}
        </span>
      ) : null}
    </div>
  );
}
