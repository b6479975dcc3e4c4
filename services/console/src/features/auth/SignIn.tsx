import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { ErrorNotice } from '../../app/ErrorNotice.tsx';

/**
 * The key is sent once and exchanged for an HttpOnly session cookie; it is never written to
 * localStorage or sessionStorage, and the field is cleared whatever the answer.
 */
export function SignIn() {
  const queryClient = useQueryClient();
  const [apiKey, setApiKey] = useState('');
  const signIn = useMutation({
    mutationFn: (key: string) => unwrap(api.POST('/v1/sessions', { body: { apiKey: key } })),
    onSuccess: (session) => queryClient.setQueryData(['session'], session),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(apiKey.trim());
    setApiKey('');
  };
  return (
    <main id="main" className="sign-in">
      <h1>EkTola console</h1>
      <p>Sign in with an API key. An admin mints keys under Settings, or with POST /v1/api-keys.</p>
      <form onSubmit={submit}>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          required
        />
        <button type="submit" disabled={signIn.isPending}>
          Sign in
        </button>
      </form>
      <ErrorNotice error={signIn.error} />
    </main>
  );
}
