import { type FormEvent, type Ref, useState } from 'react';

/**
 * The scan field: a barcode scanner types the card number and Enter into it (or a clerk does).
 * The desk keeps focus here between actions; what a scan finds is shown by the scan result card.
 */
export function ScanField(props: {
  onScan: (code: string) => void;
  note: string | null;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const [code, setCode] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const scanned = code.trim();
    setCode('');
    props.onScan(scanned);
  }

  return (
    <form className="scan" onSubmit={submit}>
      <label className="field">
        <span>Scan membership card</span>
        <input
          ref={props.inputRef}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="Scan or type a number, then Enter"
          autoComplete="off"
          inputMode="text"
        />
      </label>
      {props.note && (
        <p className="muted" role="status">
          {props.note}
        </p>
      )}
    </form>
  );
}
