-- Data written at migration level 1 (tracking): an experiment, two runs with params, tags, metric histories
-- (including NaN and -Infinity) and a dataset input.
INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time)
VALUES (7, 'upgrade-exp', 'mlflow-artifacts:/7', 1000, 1000);
INSERT INTO experiment_tags VALUES (7, 'team', 'risk');
INSERT INTO runs (id, run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri)
VALUES (11, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 7, 'first', 'ana', 'FINISHED', 2000, 3000,
        'mlflow-artifacts:/7/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/artifacts'),
       (12, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 7, 'second', 'ana', 'RUNNING', 2500, NULL,
        'mlflow-artifacts:/7/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/artifacts');
INSERT INTO params VALUES (11, 'lr', '0.1'), (11, 'depth', '6'), (12, 'lr', '0.2');
INSERT INTO run_tags VALUES (11, 'mlflow.runName', 'first'), (12, 'mlflow.runName', 'second');
INSERT INTO metric_series (id, run_id, key, latest_value, latest_timestamp, latest_step)
OVERRIDING SYSTEM VALUE VALUES (101, 11, 'loss', 0.25, 2003, 3), (102, 12, 'acc', 'NaN', 2600, 1);
INSERT INTO metrics VALUES (101, 2000, 0, 1.0), (101, 2001, 1, 0.5), (101, 2002, 2, '-Infinity'),
                           (101, 2003, 3, 0.25), (102, 2600, 1, 'NaN');
INSERT INTO datasets (id, experiment_id, name, digest, source_type, source)
OVERRIDING SYSTEM VALUE VALUES (201, 7, 'train', 'd1g3st', 'local', 'file:///data/train.csv');
INSERT INTO run_inputs (id, run_id, dataset_id) OVERRIDING SYSTEM VALUE VALUES (301, 11, 201);
INSERT INTO input_tags VALUES (301, 'mlflow.data.context', 'training');
