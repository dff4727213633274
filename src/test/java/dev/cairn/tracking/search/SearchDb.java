package dev.cairn.tracking.search;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** A throwaway PostgreSQL with the real Flyway schema, plus fixture helpers for search tests. */
final class SearchDb implements AutoCloseable {

    /** One server per test JVM (initdb is the slow part); each test class gets its own database. */
    private static EmbeddedPostgres server;
    private static final AtomicLong DATABASES = new AtomicLong();

    private final Connection connection;
    private final AtomicLong uuidCounter = new AtomicLong();

    private SearchDb(Connection connection) {
        this.connection = connection;
    }

    static SearchDb start() throws IOException, SQLException {
        EmbeddedPostgres pg = server();
        String name = "search_" + DATABASES.incrementAndGet();
        try (Connection admin = pg.getPostgresDatabase().getConnection(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        SearchDb db = new SearchDb(pg.getDatabase("postgres", name).getConnection());
        db.migrate();
        return db;
    }

    private static synchronized EmbeddedPostgres server() throws IOException {
        if (server == null) {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is exiting; nothing left to do
                }
            }));
            server = pg;
        }
        return server;
    }

    /**
     * Applies migrations/V*.sql in version order. (Flyway's PostgreSQL module is only wired in by the
     * Quarkus build, so plain tests run the files themselves.)
     */
    private void migrate() throws IOException, SQLException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("migrations"))) {
            files = list.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(
                            f.getFileName().toString().substring(1, f.getFileName().toString().indexOf("__")))))
                    .toList();
        }
        for (Path file : files) {
            try (Statement st = connection.createStatement()) {
                st.execute(Files.readString(file));
            }
        }
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    // ---- fixtures --------------------------------------------------------------------------------

    long experiment(String name, long creationTime, String lifecycleStage) throws SQLException {
        long id = single("SELECT nextval('experiments_id_seq')");
        exec("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time,"
                + " last_update_time) VALUES (?, ?, ?, ?, ?, ?)", id, name, "mlflow-artifacts:/" + id,
                lifecycleStage, creationTime, creationTime + 1);
        return id;
    }

    void experimentTag(long experimentId, String key, String value) throws SQLException {
        exec("INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)", experimentId, key, value);
    }

    /** A run with a deterministic 32-hex run_uuid; returns runs.id. */
    long run(long experimentId, String name, String status, long startTime, Long endTime, String userId,
             String lifecycleStage) throws SQLException {
        String uuid = String.format(Locale.ROOT, "%032x", uuidCounter.incrementAndGet() * 7919);
        return run(experimentId, uuid, name, status, startTime, endTime, userId, lifecycleStage);
    }

    long run(long experimentId, String uuid, String name, String status, long startTime, Long endTime,
             String userId, String lifecycleStage) throws SQLException {
        long id = single("SELECT nextval('runs_id_seq')");
        exec("INSERT INTO runs (id, run_uuid, experiment_id, name, user_id, status, start_time, end_time,"
                + " lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, uuid, experimentId,
                name, userId, status, startTime, endTime, lifecycleStage, "mlflow-artifacts:/" + uuid);
        tag(id, "mlflow.runName", name);
        return id;
    }

    void metric(long runId, String key, double latest) throws SQLException {
        exec("INSERT INTO metric_series (run_id, key, latest_value, latest_timestamp, latest_step)"
                + " VALUES (?, ?, ?, 0, 0)", runId, key, latest);
    }

    void param(long runId, String key, String value) throws SQLException {
        exec("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)", runId, key, value);
    }

    void tag(long runId, String key, String value) throws SQLException {
        exec("INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)", runId, key, value);
    }

    /** Links a dataset (created on first use per experiment/name/digest) as an input of the run. */
    void dataset(long runId, String name, String digest, String context) throws SQLException {
        long experimentId = single("SELECT experiment_id FROM runs WHERE id = " + runId);
        exec("INSERT INTO datasets (experiment_id, name, digest, source_type, source) VALUES (?, ?, ?, 'local', 'x')"
                + " ON CONFLICT DO NOTHING", experimentId, name, digest);
        long datasetId;
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?")) {
            ps.setLong(1, experimentId);
            ps.setString(2, name);
            ps.setString(3, digest);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                datasetId = rs.getLong(1);
            }
        }
        long inputId;
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO run_inputs (run_id, dataset_id) VALUES (?, ?) RETURNING id")) {
            ps.setLong(1, runId);
            ps.setLong(2, datasetId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                inputId = rs.getLong(1);
            }
        }
        if (context != null) {
            exec("INSERT INTO input_tags (input_id, key, value) VALUES (?, 'mlflow.data.context', ?)", inputId,
                    context);
        }
    }

    String uuidOf(long runId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT run_uuid FROM runs WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    void exec(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int k = 0; k < args.length; k++) {
                ps.setObject(k + 1, args[k]);
            }
            ps.execute();
        }
    }

    long single(String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
