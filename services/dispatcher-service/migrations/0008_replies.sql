-- What customers send back: every inbound WhatsApp message, stored once per Meta message id (Meta
-- re-delivers webhooks), with the campaign message it answers when Meta's context.id names one of ours.
-- Inbound messages with no context, or a context that is not ours, keep only the phone, for the
-- conversation. No foreign key to messages: retention prunes old messages, a reply keeps its ids.
create table replies (
  wamid text primary key,
  phone text not null,
  phone_number_id text not null,
  -- text, button, interactive.button_reply, interactive.list_reply, or whatever else Meta sent.
  type text not null,
  -- The text body, the button's text or the interactive reply's title.
  text text,
  -- A quick-reply button's payload or an interactive reply's id.
  payload text,
  -- Meta's context.id: the wamid of the message this one answers, ours or not.
  context_wamid text,
  message_id uuid,
  run_id uuid,
  campaign_id uuid,
  contact_id text,
  profile_name text,
  received_at timestamptz not null,
  stored_at timestamptz not null default now(),
  -- message.replied is published after the reply is stored; a redelivery publishes what a crash left unsent.
  event_published boolean not null default false
);

create index replies_phone on replies (phone, received_at, wamid);
create index replies_received on replies (received_at, wamid);
create index replies_campaign on replies (campaign_id, received_at, wamid) where campaign_id is not null;
create index replies_run on replies (run_id) where run_id is not null;

-- A flag beside the status: a READ message that got a reply stays READ. The first reply's time.
alter table messages add column replied_at timestamptz;

-- A contact's messages in time order, for the conversation.
create index messages_contact on messages (contact_id, created_at, id);
