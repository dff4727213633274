-- Data drift: a model version's training baseline per feature and the production profiles posted per
-- environment and time window, each with its drift against the baseline computed once at posting. Owned by
-- monitoring/drift. Numeric features are serialized KLL quantile sketches (Apache DataSketches), categorical
-- ones category counts.

-- A version's baseline: posted to it, or read once from its source run's artifact monitoring/baseline.json.
CREATE TABLE drift_baselines (
    model_id   bigint  NOT NULL,
    version    integer NOT NULL,
    source     text    NOT NULL CHECK (source IN ('posted', 'artifact')),
    created_at bigint  NOT NULL,
    PRIMARY KEY (model_id, version),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
);

-- rank_error: how far the sketch's CDF may be from the true one (0 while it holds every raw value).
CREATE TABLE drift_baseline_features (
    model_id   bigint           NOT NULL,
    version    integer          NOT NULL,
    feature    text             NOT NULL,
    kind       text             NOT NULL CHECK (kind IN ('numeric', 'categorical')),
    n          bigint           NOT NULL CHECK (n > 0),
    sketch     bytea,
    counts     jsonb,
    rank_error double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (model_id, version, feature),
    FOREIGN KEY (model_id, version) REFERENCES drift_baselines (model_id, version) ON DELETE CASCADE,
    CHECK ((kind = 'numeric') = (sketch IS NOT NULL) AND (kind = 'categorical') = (counts IS NOT NULL))
);

-- One production window; a retry of the same window replaces its features (the natural key is unique).
CREATE TABLE drift_profiles (
    id           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id     bigint  NOT NULL,
    version      integer NOT NULL,
    environment  text    NOT NULL,
    window_start bigint  NOT NULL,
    window_end   bigint  NOT NULL CHECK (window_end > window_start),
    created_at   bigint  NOT NULL,
    CONSTRAINT drift_profiles_window_key UNIQUE (model_id, version, environment, window_start, window_end),
    FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version) ON DELETE CASCADE
);
-- Serves the newest window of (version, environment) for monitors and the drift series, newest first.
CREATE INDEX drift_profiles_newest_idx ON drift_profiles (model_id, version, environment, window_end DESC);

-- A window's feature with its drift against the baseline (ks and ks_error_bound only for numeric features).
CREATE TABLE drift_profile_features (
    profile_id     bigint           NOT NULL REFERENCES drift_profiles (id) ON DELETE CASCADE,
    feature        text             NOT NULL,
    kind           text             NOT NULL CHECK (kind IN ('numeric', 'categorical')),
    n              bigint           NOT NULL CHECK (n > 0),
    sketch         bytea,
    counts         jsonb,
    rank_error     double precision NOT NULL DEFAULT 0,
    psi            double precision NOT NULL,
    js             double precision NOT NULL,
    ks             double precision,
    ks_error_bound double precision,
    PRIMARY KEY (profile_id, feature),
    CHECK ((kind = 'numeric') = (sketch IS NOT NULL) AND (kind = 'categorical') = (counts IS NOT NULL))
);
