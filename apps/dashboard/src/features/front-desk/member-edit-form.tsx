import type { Member, MemberChanges } from '@av-gym/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import { Icon } from '../../app/icon.js';
import { MemberFields } from './member-fields.js';
import { changesFrom, conflictingFields, formValuesOf, type MemberFormValues } from './member-form-values.js';
import { rejectionText } from './membership.js';

type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending'; offline: boolean }
  | { kind: 'saved' }
  | { kind: 'refused'; text: string }
  | { kind: 'conflict'; newer: Member };

/** Edits a member's fields (see MemberFields) with `member_update`; resolves version conflicts. */
export function MemberEditForm(props: {
  member: Member;
  onClose: () => void;
  onSaved: (member: Member) => void;
}) {
  const { realtime } = useDesk();
  const [base, setBase] = useState(props.member);
  const [values, setValues] = useState<MemberFormValues>(() => formValuesOf(props.member));
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  // focus moves into the form when it opens (and back to the scan field when it closes)
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const set = <K extends keyof MemberFormValues>(key: K, value: MemberFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  async function send(against: Member, changes: Partial<MemberChanges>) {
    if (Object.keys(changes).length === 0) {
      setSave({ kind: 'saved' });
      return;
    }
    setSave({ kind: 'pending', offline: !isOnline(realtime.state) });
    const outcome = await realtime.send('member_update', {
      memberId: against.id,
      changes,
      baseVersion: against.version,
    });
    if (outcome.ok) {
      setSave({ kind: 'saved' });
      const version = typeof outcome.info?.version === 'number' ? outcome.info.version : against.version + 1;
      const saved = { ...against, ...changes, version } as Member;
      setBase(saved);
      props.onSaved(saved);
    } else if (outcome.code === 'VERSION_CONFLICT' && isMember(outcome.data)) {
      setSave({ kind: 'conflict', newer: outcome.data });
    } else {
      setSave({ kind: 'refused', text: rejectionText(outcome, against) });
    }
  }

  /** Keeps only this clerk's own edits, applied over the newer member, and sends them again. */
  function keepMine(newer: Member) {
    const mine = changesFrom(values, base);
    const merged = { ...formValuesOf(newer) };
    for (const key of Object.keys(mine) as (keyof MemberFormValues)[]) {
      (merged as Record<string, string>)[key] = values[key];
    }
    setBase(newer);
    setValues(merged);
    void send(newer, mine);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void send(base, changesFrom(values, base));
  }

  return (
    <section className="card" aria-labelledby="edit-title">
      <h2 id="edit-title">Edit {base.name}</h2>
      <form className="edit-form" onSubmit={submit}>
        <MemberFields values={values} set={set} firstRef={first} withStatus />
        {save.kind === 'conflict' && (
          <ConflictNotice
            values={values}
            newer={save.newer}
            onKeepMine={() => keepMine(save.newer)}
            onTakeTheirs={() => {
              setBase(save.newer);
              setValues(formValuesOf(save.newer));
              setSave({ kind: 'idle' });
            }}
          />
        )}
        {save.kind === 'pending' && (
          <p className="notice notice-fair field-wide" role="status">
            <Icon name="clock" />
            {save.offline ? 'Saved here, pending: it is sent when the connection returns.' : 'Saving…'}
          </p>
        )}
        {save.kind === 'saved' && (
          <p className="notice notice-good field-wide" role="status">
            <Icon name="check" />
            Changes saved.
          </p>
        )}
        {save.kind === 'refused' && (
          <p className="notice notice-poor field-wide" role="alert">
            <Icon name="cross" />
            {save.text}
          </p>
        )}
        <div className="actions field-wide">
          <button type="submit" className="button primary" disabled={save.kind === 'pending'}>
            Save changes
          </button>
          <button type="button" className="button ghost" onClick={props.onClose}>
            Close
          </button>
        </div>
      </form>
    </section>
  );
}

function ConflictNotice(props: {
  values: MemberFormValues;
  newer: Member;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const diffs = conflictingFields(props.values, props.newer);
  return (
    <div className="notice notice-fair field-wide" role="alert">
      <p>
        <Icon name="warning" />
        {rejectionText({ code: 'VERSION_CONFLICT' })}
      </p>
      {diffs.length > 0 && (
        <table className="table compact">
          <caption className="visually-hidden">Newer values</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Yours</th>
              <th scope="col">Now saved</th>
            </tr>
          </thead>
          <tbody>
            {diffs.map((d) => (
              <tr key={d.field}>
                <th scope="row">{d.label}</th>
                <td>{d.mine || '—'}</td>
                <td>{d.theirs || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" className="button primary" onClick={props.onKeepMine}>
          Save my changes again
        </button>
        <button type="button" className="button" onClick={props.onTakeTheirs}>
          Use the newer values
        </button>
      </div>
    </div>
  );
}

function isMember(value: unknown): value is Member {
  return value !== null && typeof value === 'object' && 'id' in value && 'version' in value;
}
