-- Identity and access: users, groups, personal access tokens, UI sessions, grants, login throttling and the
-- identity audit. Everything a replica needs lives here (no in-memory sessions), so any replica serves any request.

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- MLflow usernames are free text; Cairn allows what is safe in URLs, audit rows and `group:` references.
    username      text    NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$'),
    display_name  text    NOT NULL DEFAULT '' CHECK (length(display_name) <= 256),
    -- A bcrypt hash (never the password); null for service accounts and SSO-only users, who cannot log in with one.
    password_hash text,
    is_admin      boolean NOT NULL DEFAULT false,
    -- Service accounts authenticate with tokens only and never log in to the UI.
    is_service    boolean NOT NULL DEFAULT false,
    disabled      boolean NOT NULL DEFAULT false,
    -- 'local' or 'oidc'; the subject ties an SSO user to its provider identity.
    source        text    NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'oidc')),
    oidc_subject  text UNIQUE,
    created_at    bigint  NOT NULL,
    last_login_at bigint,
    CONSTRAINT users_username_key UNIQUE (username)
);

CREATE TABLE groups (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text   NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$'),
    -- 'local' groups are managed by admins; 'oidc' groups mirror the provider's group claim at each login.
    source     text   NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'oidc')),
    created_at bigint NOT NULL,
    CONSTRAINT groups_name_key UNIQUE (name)
);

CREATE TABLE group_members (
    group_id bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_idx ON group_members (user_id);

-- Personal access tokens: only the SHA-256 of the 256-bit secret is kept; the secret is shown once.
CREATE TABLE access_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text   NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    secret_hash  bytea  NOT NULL,
    created_at   bigint NOT NULL,
    expires_at   bigint,
    revoked_at   bigint,
    last_used_at bigint,
    CONSTRAINT access_tokens_secret_key UNIQUE (secret_hash)
);
CREATE INDEX access_tokens_user_idx ON access_tokens (user_id);

-- UI sessions: the cookie carries a random secret, the table its SHA-256; the CSRF token is bound to the session.
CREATE TABLE sessions (
    secret_hash  bytea  PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text   NOT NULL,
    created_at   bigint NOT NULL,
    last_seen_at bigint NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Permission levels are stored as their rank: 0 NO_PERMISSIONS, 1 READ, 2 USE, 3 EDIT, 4 MANAGE.
-- A grant belongs to exactly one user or one group; deleting the resource or the principal deletes it.
CREATE TABLE experiment_grants (
    experiment_id bigint   NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
    user_id       bigint REFERENCES users (id) ON DELETE CASCADE,
    group_id      bigint REFERENCES groups (id) ON DELETE CASCADE,
    level         smallint NOT NULL CHECK (level BETWEEN 0 AND 4),
    CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX experiment_grants_user_key ON experiment_grants (experiment_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX experiment_grants_group_key ON experiment_grants (experiment_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX experiment_grants_user_idx ON experiment_grants (user_id);

-- Keyed on the model's id, so a rename keeps its grants (MLflow renames its rows).
CREATE TABLE model_grants (
    model_id bigint   NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    user_id  bigint REFERENCES users (id) ON DELETE CASCADE,
    group_id bigint REFERENCES groups (id) ON DELETE CASCADE,
    level    smallint NOT NULL CHECK (level BETWEEN 0 AND 4),
    CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE UNIQUE INDEX model_grants_user_key ON model_grants (model_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX model_grants_group_key ON model_grants (model_id, group_id) WHERE group_id IS NOT NULL;
CREATE INDEX model_grants_user_idx ON model_grants (user_id);

-- The effective level of a caller (its user id and group ids) on one resource: the highest of its grants, or the
-- server default when it has none. Searches of other features call these instead of reading the grant tables.
CREATE FUNCTION experiment_access_level(experiment bigint, principal bigint, principal_groups bigint[], fallback int)
    RETURNS int LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT max(level) FROM experiment_grants
                     WHERE experiment_id = experiment AND (user_id = principal OR group_id = ANY (principal_groups))),
                    fallback)
$$;

CREATE FUNCTION model_access_level(model bigint, principal bigint, principal_groups bigint[], fallback int)
    RETURNS int LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT max(level) FROM model_grants
                     WHERE model_id = model AND (user_id = principal OR group_id = ANY (principal_groups))),
                    fallback)
$$;

-- Failed logins per key (a username or a client address) in the current window; shared by all replicas.
CREATE TABLE login_failures (
    key          text   PRIMARY KEY,
    window_start bigint NOT NULL,
    failures     int    NOT NULL
);

-- Who changed identities and rights, and every login: append-only, like registry_audit.
CREATE TABLE identity_audit (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time    bigint NOT NULL,
    actor   text   NOT NULL,
    action  text   NOT NULL,
    target  text,
    detail  text,
    address text
);
CREATE INDEX identity_audit_time_idx ON identity_audit (time DESC);

-- Server-wide secrets shared by all replicas (e.g. the key that signs multipart part URLs), created on first use.
CREATE TABLE server_secrets (
    name   text  PRIMARY KEY,
    secret bytea NOT NULL
);
