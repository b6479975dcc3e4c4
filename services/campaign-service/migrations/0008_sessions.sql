-- Console sign-ins: an API key exchanged for a cookie. Only the token's SHA-256 is kept; a session ends
-- at its expiry, when it is signed out, or at once when its key is revoked (checked on every request).
create table sessions (
  token_hash text primary key,
  api_key_id uuid not null references api_keys (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_expires_at on sessions (expires_at);
