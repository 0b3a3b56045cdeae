import type { MemberListReport } from '@av-gym/protocol';

const date = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().slice(0, 10));

/** A member list report: the count in words, then the first members named. */
export function MemberTable(props: { report: MemberListReport; caption: string; empty: string }) {
  const { count, members } = props.report;
  if (count === 0) return <p className="muted">{props.empty}</p>;
  return (
    <>
      <p>
        {count} {count === 1 ? 'member' : 'members'}
        {members.length < count ? ` (the first ${members.length} listed)` : ''}
      </p>
      <div className="report-table-wrap">
        <table className="report-table">
          <caption className="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Name</th>
              <th scope="col">Last visit</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>{m.membershipNumber}</td>
                <td>{m.name}</td>
                <td>{date(m.lastVisitAt)}</td>
                <td>{m.expiresAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
