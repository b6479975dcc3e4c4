import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One page of a list at a time, paged on the server with the API's opaque cursors (kept as a stack so
 * Previous goes back). A change of `key` (a filter) starts again at the first page; a live list
 * refetches the page it shows.
 */
export function usePaged<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  options: { refetchInterval?: number | false } = {},
) {
  const keyText = JSON.stringify(key);
  const [state, setState] = useState<{ key: string; cursors: string[] }>({ key: keyText, cursors: [] });
  const cursors = state.key === keyText ? state.cursors : [];
  const cursor = cursors.at(-1);
  const query = useQuery({
    queryKey: [...key, cursor],
    queryFn: () => fetchPage(cursor),
    refetchInterval: options.refetchInterval ?? false,
  });
  const next = query.data?.nextCursor ?? null;
  const pager: ReactNode =
    cursors.length > 0 || next ? (
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setState({ key: keyText, cursors: cursors.slice(0, -1) })}
        >
          Previous page
        </button>
        <button
          type="button"
          disabled={!next}
          onClick={() => next && setState({ key: keyText, cursors: [...cursors, next] })}
        >
          Next page
        </button>
      </nav>
    ) : null;
  return { query, pager };
}
