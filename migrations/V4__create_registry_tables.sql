-- Model registry, first slice: registered models and their tags.
-- Models are addressed by name on the wire, but everything that refers to a model (tags now; versions
-- and aliases in a later migration) references the surrogate id, so a rename touches one row only.

CREATE TABLE registered_models (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- MLflow documents no limit; Cairn caps names at 256 characters (checked here and in the service).
    name              text   NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
    description       text   NOT NULL DEFAULT '',
    creation_time     bigint NOT NULL,
    last_updated_time bigint NOT NULL,
    -- The unique constraint is what makes concurrent creates/renames of one name safe.
    CONSTRAINT registered_models_name_key UNIQUE (name)
);
-- Serves the search order by last_updated_timestamp with its name tiebreaker.
CREATE INDEX registered_models_updated_idx ON registered_models (last_updated_time, name);

-- Registry tag limits are MLflow's: key 250, value 100,000 characters (enforced by the service).
CREATE TABLE registered_model_tags (
    model_id bigint NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    key      text   NOT NULL,
    value    text   NOT NULL,
    PRIMARY KEY (model_id, key)
);
-- Serves tag filters and the prompt exclusion (mlflow.prompt.is_prompt). Not (key, value): values may
-- be 100,000 characters, beyond PostgreSQL's btree entry limit (~2.7 kB).
CREATE INDEX registered_model_tags_key_idx ON registered_model_tags (key, model_id);
