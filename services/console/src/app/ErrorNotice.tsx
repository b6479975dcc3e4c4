import { renderError } from '../api/errors.ts';

/** Any failed call, as the API said it: title, message, the next step and every field it names. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const rendered = renderError(error);
  return (
    <div role="alert" className="notice error">
      <strong>{rendered.title}</strong>
      <p>{rendered.message}</p>
      {rendered.advice ? <p>{rendered.advice}</p> : null}
      {rendered.fields.length > 0 ? (
        <ul>
          {rendered.fields.map((field) => (
            <li key={field.field + field.message}>
              <code>{field.field}</code>: {field.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** An empty list, with what to do next. */
export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A date in the operator's zone, with the campaign's zone beside it when it differs. */
export function When({ at, zone }: { at: string | null | undefined; zone?: string | undefined }) {
  if (!at) return <span>—</span>;
  const date = new Date(at);
  const local = date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const there =
    zone && zone !== own
      ? ` (${date.toLocaleString(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' })} ${zone})`
      : '';
  return (
    <time dateTime={at}>
      {local}
      {there}
    </time>
  );
}
