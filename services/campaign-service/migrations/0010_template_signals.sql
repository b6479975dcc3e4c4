-- What Meta says of a template besides its status: why it was rejected, and its quality rating.
alter table templates add column rejected_reason text;
alter table templates add column quality_score text check (quality_score in ('GREEN', 'YELLOW', 'RED', 'UNKNOWN'));

-- Who paused a campaign and why: Meta pausing or disabling its template pauses it too, and only an
-- operator resumes it, so the reason stays until then.
alter table campaigns add column paused_reason text;
alter table campaigns add column paused_by text check (paused_by in ('meta', 'operator'));
