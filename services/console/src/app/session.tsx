import { createContext, useContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';

export type Role = 'admin' | 'operator' | 'viewer';
export interface Session {
  apiKey: { id: string; name: string; role: Role };
  expiresAt: string;
}

/** Who is signed in: null when the cookie is missing, expired or signed out. */
export function useSessionQuery() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async (): Promise<Session | null> => {
      const { data, error, response } = await api.GET('/v1/sessions/current');
      if (response.status === 401 || response.status === 404) return null;
      if (!data) throw ApiError.from(response.status, error);
      return data;
    },
    staleTime: 60_000,
  });
}

export const SessionContext = createContext<Session | null>(null);

/**
 * What the signed-in key's role allows, mirroring the API: operators and admins write contacts and
 * campaigns, admins alone manage templates and keys. The API enforces it anyway; the console only
 * hides what would be refused.
 */
export function useCan() {
  const role = useContext(SessionContext)?.apiKey.role ?? 'viewer';
  return { write: role !== 'viewer', admin: role === 'admin', role };
}
