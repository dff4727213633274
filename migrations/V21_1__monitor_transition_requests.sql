-- A monitor may open a governance transition request (e.g. to Archived) for the version it alerts on.
-- NULL: it does not. The value is a stage's wire name; the service validates it.
ALTER TABLE monitors ADD COLUMN request_stage text;
