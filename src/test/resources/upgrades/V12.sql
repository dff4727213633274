-- Level 12 (logged models): a logged model of run 11 with points of run 11's loss attributed to it (V16 narrows
-- them into attributions and points).
INSERT INTO logged_models (id, model_id, experiment_id, name, source_run_id, status, creation_time,
                           last_updated_time, artifact_uri)
VALUES (601, 'm-0123456789abcdef0123456789abcdef', 7, 'clf', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'READY', 5000, 5000,
        'mlflow-artifacts:/7/models/m-0123456789abcdef0123456789abcdef/artifacts');
INSERT INTO logged_model_params VALUES (601, 'C', '1.0');
INSERT INTO logged_model_metrics (model_id, series_id, dataset_name, dataset_digest, ts, step, value)
VALUES (601, 101, 'train', 'd1g3st', 2002, 2, '-Infinity'), (601, 101, 'train', 'd1g3st', 2003, 3, 0.25),
       (601, 101, '', '', 2003, 3, 0.25);
