-- Level 3 (artifacts): run 11's model file, owned by the run before owners existed (V14 moves it).
INSERT INTO artifact_files (run_id, path, object_key, size, sha256, content_type, created_time)
VALUES (11, 'model/MLmodel', 'runs/11/0001', 12, repeat('ab', 32), 'text/plain', 2100);
