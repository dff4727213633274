-- Level 6 (registry): a model whose only version is 3 (a gap), pinned to run 11's file, in Production, @champion.
INSERT INTO registered_models (id, name, description, creation_time, last_updated_time)
OVERRIDING SYSTEM VALUE VALUES (401, 'upgrade-model', 'churn', 4000, 4000);
INSERT INTO registered_model_tags VALUES (401, 'owner', 'ana');
INSERT INTO model_versions (id, model_id, version, creation_time, last_updated_time, stage, source, run_id,
                            storage_location, manifest_digest)
OVERRIDING SYSTEM VALUE VALUES (501, 401, 3, 4100, 4200, 'Production', 'runs:/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/model',
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'models:/upgrade-model/3', 'sha256:' || repeat('cd', 32));
INSERT INTO model_version_files VALUES (501, 'MLmodel', 12, repeat('ab', 32), 'runs/11/0001');
INSERT INTO model_version_tags VALUES (501, 'validated', 'yes');
INSERT INTO registered_model_aliases VALUES (401, 'champion', 3);
INSERT INTO registry_audit (model_id, model_name, version, action, actor, time, before, after, stage)
VALUES (401, 'upgrade-model', 3, 'STAGE_CHANGED', 'ana', 4200, 'None', 'Production', 'Production');
