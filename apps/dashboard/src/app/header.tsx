import { type FormEvent, useState } from 'react';
import { ClubSelect } from '../features/clubs/club-select.js';
import { ConnectionIndicator } from './connection-indicator.js';

/** Brand, this desk's editable name, the connection indicator and sign-out. */
export function Header(props: {
  username: string;
  deskName: string;
  onRenameDesk: (name: string) => void;
  onSignOut: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.deskName);

  function save(event: FormEvent) {
    event.preventDefault();
    props.onRenameDesk(draft);
    setEditing(false);
  }

  return (
    <header className="header">
      <div className="brand" aria-hidden="true">
        AV
      </div>
      <div className="header-title">
        <h1 className="header-name">AV-Gym</h1>
        {editing ? (
          <form className="desk-rename" onSubmit={save}>
            <label className="visually-hidden" htmlFor="desk-name">
              Desk name
            </label>
            <input id="desk-name" value={draft} maxLength={64} onChange={(e) => setDraft(e.target.value)} />
            <button type="submit" className="button small">
              Save
            </button>
          </form>
        ) : (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDraft(props.deskName);
              setEditing(true);
            }}
            aria-label={`Desk ${props.deskName}, rename`}
          >
            {props.deskName} <span aria-hidden="true">✎</span>
          </button>
        )}
      </div>
      <ClubSelect />
      <ConnectionIndicator />
      <div className="header-user">
        <span className="muted">{props.username}</span>
        <button type="button" className="button small" onClick={props.onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
