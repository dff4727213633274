package dev.cairn.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upgrades from every earlier schema level with data in it: for each migration level L, a fresh database is migrated
 * to L with the data of its time written at the level that introduced its tables ({@code upgrades/V<n>.sql}), then
 * migrated to the newest level, and the data must have come through — values (NaN and -Infinity included), ids, the
 * run → owner move of V14, the logged-model points narrowed by V16, a version number with a gap, stage and alias.
 */
class MigrationUpgradeTest {

    static final Path MIGRATIONS = Path.of(System.getProperty("basedir", ".")).resolve("migrations");
    static final Pattern VERSION = Pattern.compile("V([0-9_]+)__.*\\.sql");

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyEarlierLevelWithDataUpgradesToTheNewest() throws Exception {
        List<MigrationVersion> levels = levels();
        Map<MigrationVersion, String> seeds = seeds();
        assertTrue(levels.size() >= 20, levels.toString());
        List<String> report = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            MigrationVersion level = levels.get(i);
            String db = "upgrade_" + i;
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + db);
            }
            String url = postgres.getJdbcUrl("postgres", db);
            List<MigrationVersion> seeded = new ArrayList<>();
            for (Map.Entry<MigrationVersion, String> seed : seeds.entrySet()) {
                if (seed.getKey().compareTo(level) > 0) {
                    break;
                }
                flyway(url, seed.getKey()).migrate();
                try (Connection c = postgres.getDatabase("postgres", db).getConnection();
                     Statement s = c.createStatement()) {
                    s.execute(seed.getValue());
                }
                seeded.add(seed.getKey());
            }
            flyway(url, level).migrate();
            int applied = flyway(url, MigrationVersion.LATEST).migrate().migrationsExecuted;
            try (Connection c = postgres.getDatabase("postgres", db).getConnection()) {
                verify(c, seeded);
            }
            report.add("V" + level + " (data of " + seeded + ") + " + applied + " migrations");
        }
        System.out.println("[upgrades]\n  " + String.join("\n  ", report));
    }

    static Flyway flyway(String url, MigrationVersion target) {
        return Flyway.configure().dataSource(url, "postgres", "postgres").locations("filesystem:" + MIGRATIONS)
                .target(target).cleanDisabled(true).load();
    }

    /** What each level's data must look like at the newest level. */
    static void verify(Connection c, List<MigrationVersion> seeded) throws SQLException {
        if (seeded.contains(MigrationVersion.fromVersion("1"))) {
            assertEquals("upgrade-exp|risk", one(c, "SELECT e.name || '|' || t.value FROM experiments e "
                    + "JOIN experiment_tags t USING (experiment_id) WHERE experiment_id = 7"));
            assertEquals("2|3|2", one(c, "SELECT (SELECT count(*) FROM runs WHERE experiment_id = 7) || '|' || "
                    + "(SELECT count(*) FROM params WHERE run_id IN (11, 12)) || '|' || "
                    + "(SELECT count(*) FROM run_tags WHERE run_id IN (11, 12))"));
            assertEquals("1,0.5,-Infinity,0.25", one(c, "SELECT string_agg(value::text, ',' ORDER BY step) "
                    + "FROM metrics WHERE series_id = 101"));
            assertEquals("NaN", one(c, "SELECT latest_value::text FROM metric_series WHERE id = 102"));
            assertEquals("train|training", one(c, "SELECT d.name || '|' || t.value FROM run_inputs i JOIN datasets d "
                    + "ON d.id = i.dataset_id JOIN input_tags t ON t.input_id = i.id WHERE i.run_id = 11"));
        }
        if (seeded.contains(MigrationVersion.fromVersion("3"))) {
            assertEquals("11|model/MLmodel|runs/11/0001", one(c, "SELECT o.run_id || '|' || f.path || '|' || "
                    + "f.object_key FROM artifact_files f JOIN artifact_owners o ON o.id = f.owner_id"));
        }
        if (seeded.contains(MigrationVersion.fromVersion("6"))) {
            assertEquals("3|Production|champion|runs/11/0001", one(c, "SELECT v.version || '|' || v.stage || '|' || "
                    + "a.alias || '|' || f.object_key FROM model_versions v JOIN registered_model_aliases a "
                    + "ON a.model_id = v.model_id AND a.version = v.version JOIN model_version_files f "
                    + "ON f.version_id = v.id WHERE v.model_id = 401"));
            assertEquals("1", one(c, "SELECT count(*) FROM registry_audit WHERE model_id = 401"));
        }
        if (seeded.contains(MigrationVersion.fromVersion("12"))) {
            assertEquals("2|3", one(c, "SELECT (SELECT count(*) FROM logged_model_attributions WHERE model_id = 601) "
                    + "|| '|' || (SELECT count(*) FROM logged_model_points p JOIN logged_model_attributions a "
                    + "ON a.id = p.attribution_id WHERE a.model_id = 601)"));
        }
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    static List<MigrationVersion> levels() throws Exception {
        List<MigrationVersion> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path p : files.toList()) {
                Matcher m = VERSION.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(MigrationVersion.fromVersion(m.group(1).replace('_', '.')));
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static Map<MigrationVersion, String> seeds() throws Exception {
        Map<MigrationVersion, String> out = new TreeMap<>();
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/upgrades");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                out.put(MigrationVersion.fromVersion(name.substring(1, name.indexOf('.'))), Files.readString(p));
            }
        }
        return out;
    }
}
