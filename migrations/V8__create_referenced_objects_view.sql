-- Objects that features other than artifacts keep alive (today: files pinned by model versions).
-- The artifact sweeper asks this view before deleting an object, instead of reading other features' tables.
CREATE VIEW referenced_objects AS
    SELECT object_key FROM model_version_files;
