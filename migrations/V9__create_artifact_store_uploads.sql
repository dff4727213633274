-- Store-side multipart uploads under Cairn's prefixes that the sweeper found pending, and when it first saw each.
-- A PUT killed mid-stream (kill -9) leaves the store's own multipart upload and its part files behind, and nothing
-- in Cairn names it. The sweeper dates such an upload by the earliest of the store's "initiated" time, this first
-- sighting and its key's in-flight orphan row: S3Proxy reports every pending upload as initiated "now".
CREATE TABLE artifact_store_uploads (
    store_upload_id text   PRIMARY KEY,
    object_key      text   NOT NULL,
    first_seen      bigint NOT NULL
);
