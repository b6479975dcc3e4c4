import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * A labelled table that scrolls sideways on a phone rather than overflowing the page; the scrolling
 * region takes focus, so a keyboard can scroll it too.
 */
export function DataTable<T>(props: { label: string; rows: T[]; rowKey: (row: T) => string; columns: Column<T>[] }) {
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label={`${props.label}, scrolls sideways`}>
      <table aria-label={props.label}>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" key={column.header}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A status filter: every status of the list, or all of them. */
export function StatusFilter<S extends string>(props: {
  id: string;
  statuses: readonly S[];
  value: S | '';
  onChange: (status: S | '') => void;
}) {
  return (
    <div className="filters">
      <label htmlFor={props.id}>Status</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.target.value as S | '')}>
        <option value="">All</option>
        {props.statuses.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A status as a coloured badge. */
export const Status = ({ status }: { status: string }) => (
  <span className={`status ${status.toLowerCase()}`}>{status}</span>
);

/** A button acting on one row, named with what it acts on so a screen reader tells the rows apart. */
export function RowAction(props: { label: string; of: string; onClick: () => void; danger?: boolean }) {
  return (
    <button
      type="button"
      className={props.danger ? 'danger' : undefined}
      onClick={props.onClick}
      aria-label={`${props.label} ${props.of}`}
    >
      {props.label}
    </button>
  );
}
