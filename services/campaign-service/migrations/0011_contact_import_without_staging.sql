-- An upload is written to a file of the service's own while it arrives, then read and upserted in one
-- transaction begun only once it is all there, so its batches are no longer set aside in the database.
drop table if exists contact_import_batches;
