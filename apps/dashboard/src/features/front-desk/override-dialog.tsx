import { type CheckInAlert, MAX_OVERRIDE_REASON_LENGTH } from '@av-gym/protocol';
import { useEffect, useId, useRef, useState } from 'react';
import { AlertList } from './alert-list.js';

const MIN_REASON = 3;

/**
 * Asks why blocking alerts are overridden (a modal `dialog`: the focus moves into its reason
 * field, Escape or Cancel closes it, and the caller puts the focus back where it came from).
 */
export function OverrideDialog(props: {
  memberName: string;
  alerts: readonly CheckInAlert[];
  onSubmit: (reason: string) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const hintId = useId();

  // opened once, as a modal: the rest of the page is inert until it closes
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    reasonRef.current?.focus();
  }, []);

  const blocking = props.alerts.filter((a) => a.blocking);
  return (
    // Escape (cancel), Cancel and a sent form all end in `close`: the caller restores the focus once
    <dialog
      ref={ref}
      className="card override-dialog"
      aria-labelledby={titleId}
      aria-describedby={hintId}
      onClose={props.onClose}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const text = reason.trim();
          if (text.length < MIN_REASON) {
            setError(`Write a reason of at least ${MIN_REASON} characters.`);
            reasonRef.current?.focus();
            return;
          }
          props.onSubmit(text);
          ref.current?.close();
        }}
      >
        <h2 id={titleId}>Override for {props.memberName}</h2>
        <p id={hintId}>
          The check-in is blocked by what is listed below. Your name and this reason are saved with the visit
          and shown on every desk.
        </p>
        <AlertList alerts={blocking} label="Blocking alerts" />
        <label className="field">
          <span>Reason (required)</span>
          <input
            ref={reasonRef}
            type="text"
            value={reason}
            required
            minLength={MIN_REASON}
            maxLength={MAX_OVERRIDE_REASON_LENGTH}
            autoComplete="off"
            aria-invalid={error !== null}
            aria-errormessage={error ? `${titleId}-error` : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              setError(null);
            }}
          />
        </label>
        {error && (
          <p id={`${titleId}-error`} className="notice notice-poor" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button primary">
            Override and check in
          </button>
          <button type="button" className="button ghost" onClick={() => ref.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
