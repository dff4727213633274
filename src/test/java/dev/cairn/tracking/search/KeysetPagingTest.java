package dev.cairn.tracking.search;

import dev.cairn.common.search.SearchPage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keyset paging: walking every page under many orderings (with heavy ties, NaN and missing values)
 * yields exactly the full ordered result, which itself matches an in-memory model of MLflow's order.
 */
class KeysetPagingTest {

    /** The fixture as the test knows it; {@code metric} null = missing, NaN = NaN. */
    private record FixtureRun(long id, String uuid, String name, long start, Long end, String user, Double metric,
                              String param, String tag) {
    }

    private static SearchDb db;
    private static long experiment;
    private static long other;
    private static final List<FixtureRun> RUNS = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        db = SearchDb.start();
        experiment = db.experiment("paging", 1, "active");
        other = db.experiment("other", 2, "active");
        Random random = new Random(42);
        Double[] metrics = {1.0, 2.0, -1.5, Double.NaN, null, 1.7976931348623157e308};
        String[] values = {"a", "b", "c", null};
        Long[] ends = {null, 10L, 20L};
        String[] users = {null, "u1", "u2"};
        for (int n = 0; n < 60; n++) {
            String uuid = String.format(Locale.ROOT, "%032x", (long) random.nextInt(1 << 30));
            FixtureRun run = new FixtureRun(0, uuid, "n" + random.nextInt(3), 100L * random.nextInt(3),
                    ends[random.nextInt(ends.length)], users[random.nextInt(users.length)],
                    metrics[random.nextInt(metrics.length)], values[random.nextInt(values.length)],
                    values[random.nextInt(values.length)]);
            long id = db.run(experiment, run.uuid(), run.name(), "FINISHED", run.start(), run.end(), run.user(),
                    "active");
            if (run.metric() != null) {
                db.metric(id, "m", run.metric());
            }
            if (run.param() != null) {
                db.param(id, "p", run.param());
            }
            if (run.tag() != null) {
                db.tag(id, "t", run.tag());
            }
            RUNS.add(new FixtureRun(id, run.uuid(), run.name(), run.start(), run.end(), run.user(), run.metric(),
                    run.param(), run.tag()));
        }
        // Same sort values in another experiment: must never leak into pages.
        long intruder = db.run(other, "0".repeat(32), "n1", "FINISHED", 100, null, null, "active");
        db.metric(intruder, "m", 1.0);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    // ---- in-memory model of MLflow's ordering ------------------------------------------------------

    /** MLflow's per-key rule: values in the requested direction, then NaN, then missing. */
    private static Comparator<FixtureRun> metricKey(boolean asc) {
        return (a, b) -> {
            int ra = rank(a.metric());
            int rb = rank(b.metric());
            if (ra != rb || ra != 0) {
                return Integer.compare(ra, rb);
            }
            int c = Double.compare(a.metric(), b.metric());
            return asc ? c : -c;
        };
    }

    private static int rank(Double v) {
        return v == null ? 2 : v.isNaN() ? 1 : 0;
    }

    private static <T extends Comparable<T>> Comparator<FixtureRun> key(Function<FixtureRun, T> get, boolean asc) {
        return (a, b) -> {
            T va = get.apply(a);
            T vb = get.apply(b);
            if (va == null || vb == null) {
                return Boolean.compare(va == null, vb == null);
            }
            int c = va.compareTo(vb);
            return asc ? c : -c;
        };
    }

    private static final Comparator<FixtureRun> START_DESC = key(FixtureRun::start, false);
    private static final Comparator<FixtureRun> UUID_ASC = key(FixtureRun::uuid, true);

    private static List<Long> expected(Predicate<FixtureRun> filter, Comparator<FixtureRun> order) {
        return RUNS.stream().filter(filter).sorted(order).map(FixtureRun::id).toList();
    }

    // ---- walking pages ------------------------------------------------------------------------------

    private static SearchPage<Long> page(String filter, List<String> orderBy, int size, String token)
            throws SQLException {
        return RunSearch.search(db.connection(), List.of(experiment), filter, orderBy, ViewType.ACTIVE_ONLY, size,
                token);
    }

    private static List<Long> walk(String filter, List<String> orderBy, int size) throws SQLException {
        List<Long> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            SearchPage<Long> p = page(filter, orderBy, size, token);
            assertTrue(p.ids().size() <= size);
            if (p.nextPageToken() != null) {
                assertEquals(size, p.ids().size(), "only the last page may be short");
            }
            all.addAll(p.ids());
            token = p.nextPageToken();
            assertTrue(++pages <= RUNS.size() + 1, "paging terminates");
        } while (token != null);
        return all;
    }

    private static void assertPagesMatch(String filter, List<String> orderBy, List<Long> expected)
            throws SQLException {
        List<Long> full = page(filter, orderBy, 1000, null).ids();
        assertEquals(expected, full, "full result for " + orderBy);
        for (int size : new int[] {1, 2, 3, 7, 13, expected.size(), expected.size() + 1}) {
            if (size < 1) {
                continue;
            }
            List<Long> walked = walk(filter, orderBy, size);
            assertEquals(expected, walked, "pages of " + size + " for " + orderBy);
            assertEquals(walked.size(), new HashSet<>(walked).size(), "no duplicates");
        }
    }

    @Test
    void pagesInTheDefaultOrder() throws SQLException {
        assertPagesMatch(null, List.of(), expected(r -> true, START_DESC.thenComparing(UUID_ASC)));
    }

    @Test
    void pagesThroughTiesWithoutGapsOrDuplicates() throws SQLException {
        // Three start times for 60 runs: almost every page boundary falls inside a tie.
        assertPagesMatch(null, List.of("start_time ASC"),
                expected(r -> true, key(FixtureRun::start, true).thenComparing(UUID_ASC)));
    }

    @Test
    void pagesByMetricDescendingWithNanAndMissingLast() throws SQLException {
        assertPagesMatch(null, List.of("metrics.m DESC"),
                expected(r -> true, metricKey(false).thenComparing(START_DESC).thenComparing(UUID_ASC)));
    }

    @Test
    void pagesByMetricAscendingWithNanAndMissingLast() throws SQLException {
        assertPagesMatch(null, List.of("metrics.m ASC"),
                expected(r -> true, metricKey(true).thenComparing(START_DESC).thenComparing(UUID_ASC)));
    }

    @Test
    void pagesByMixedDirections() throws SQLException {
        assertPagesMatch(null, List.of("params.p ASC", "metrics.m DESC"),
                expected(r -> true, key(FixtureRun::param, true).thenComparing(metricKey(false))
                        .thenComparing(START_DESC).thenComparing(UUID_ASC)));
        assertPagesMatch(null, List.of("tags.t DESC", "end_time ASC", "start_time ASC"),
                expected(r -> true, key(FixtureRun::tag, false).thenComparing(key(FixtureRun::end, true))
                        .thenComparing(key(FixtureRun::start, true)).thenComparing(UUID_ASC)));
        assertPagesMatch(null, List.of("run_name DESC", "metrics.m ASC", "params.p DESC"),
                expected(r -> true, key(FixtureRun::name, false).thenComparing(metricKey(true))
                        .thenComparing(key(FixtureRun::param, false)).thenComparing(START_DESC)
                        .thenComparing(UUID_ASC)));
    }

    @Test
    void pagesByNullableAttributes() throws SQLException {
        assertPagesMatch(null, List.of("user_id DESC"),
                expected(r -> true, key(FixtureRun::user, false).thenComparing(START_DESC).thenComparing(UUID_ASC)));
        assertPagesMatch(null, List.of("end_time DESC"),
                expected(r -> true, key(FixtureRun::end, false).thenComparing(START_DESC).thenComparing(UUID_ASC)));
    }

    @Test
    void pagesByRunIdAlone() throws SQLException {
        assertPagesMatch(null, List.of("run_id DESC"),
                expected(r -> true, key(FixtureRun::uuid, false).thenComparing(START_DESC)));
    }

    @Test
    void pagesAFilteredSearch() throws SQLException {
        assertPagesMatch("metrics.m >= 1 OR params.p = 'a'", List.of("metrics.m DESC"),
                expected(r -> (r.metric() != null && r.metric() >= 1) || "a".equals(r.param()),
                        metricKey(false).thenComparing(START_DESC).thenComparing(UUID_ASC)));
    }

    // ---- tokens -------------------------------------------------------------------------------------

    private static String firstToken(String filter, List<String> orderBy) throws SQLException {
        String token = page(filter, orderBy, 5, null).nextPageToken();
        assertNotNull(token);
        return token;
    }

    private static String rejectedToken(String filter, List<String> orderBy, List<Long> experiments, ViewType view,
                                        String token) {
        CairnException e = assertThrows(CairnException.class, () -> RunSearch.search(db.connection(), experiments,
                filter, orderBy, view, 5, token));
        assertTrue(e.getMessage().startsWith("Invalid page token"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void rejectsGarbageTokens() {
        rejectedToken(null, List.of(), List.of(experiment), ViewType.ACTIVE_ONLY, "not a token!!");
        rejectedToken(null, List.of(), List.of(experiment), ViewType.ACTIVE_ONLY,
                Base64.getUrlEncoder().encodeToString("{\"offset\": 5}".getBytes(StandardCharsets.UTF_8)));
        rejectedToken(null, List.of(), List.of(experiment), ViewType.ACTIVE_ONLY,
                Base64.getUrlEncoder().encodeToString("not json".getBytes(StandardCharsets.UTF_8)));
        rejectedToken(null, List.of(), List.of(experiment), ViewType.ACTIVE_ONLY,
                Base64.getUrlEncoder().encodeToString("[]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsATokenReplayedWithADifferentQuery() throws SQLException {
        String token = firstToken("params.p = 'a'", List.of("metrics.m DESC"));
        String msg = rejectedToken("params.p = 'b'", List.of("metrics.m DESC"), List.of(experiment),
                ViewType.ACTIVE_ONLY, token);
        assertTrue(msg.contains("different search"), msg);
        rejectedToken("params.p = 'a'", List.of("metrics.m ASC"), List.of(experiment), ViewType.ACTIVE_ONLY, token);
        rejectedToken("params.p = 'a'", List.of("metrics.m DESC"), List.of(experiment, other), ViewType.ACTIVE_ONLY,
                token);
        rejectedToken("params.p = 'a'", List.of("metrics.m DESC"), List.of(experiment), ViewType.ALL, token);
        // Whitespace around the filter and page size changes are not a different query.
        assertEquals(page("params.p = 'a'", List.of("metrics.m DESC"), 3, token).ids(),
                page("  params.p = 'a' ", List.of(" metrics.m DESC"), 3, token).ids());
    }

    @Test
    void rejectsTamperedTokenValues() throws Exception {
        String token = firstToken(null, List.of("metrics.m DESC"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Base64.getUrlDecoder().decode(token));
        ObjectNode wrongType = root.deepCopy();
        wrongType.putArray("k").add("x").add("y").add("z").add("w");
        rejectedToken(null, List.of("metrics.m DESC"), List.of(experiment), ViewType.ACTIVE_ONLY,
                Base64.getUrlEncoder().encodeToString(json.writeValueAsBytes(wrongType)));
        ObjectNode wrongLength = root.deepCopy();
        wrongLength.putArray("k").add(0);
        rejectedToken(null, List.of("metrics.m DESC"), List.of(experiment), ViewType.ACTIVE_ONLY,
                Base64.getUrlEncoder().encodeToString(json.writeValueAsBytes(wrongLength)));
        ObjectNode inconsistent = root.deepCopy();
        // rank 2 (missing) with a value present
        inconsistent.putArray("k").add(2).add("1.0").add(100).add("00");
        rejectedToken(null, List.of("metrics.m DESC"), List.of(experiment), ViewType.ACTIVE_ONLY,
                Base64.getUrlEncoder().encodeToString(json.writeValueAsBytes(inconsistent)));
    }

    @Test
    void experimentIdOrderAndDuplicatesDoNotChangeTheQuery() throws SQLException {
        SearchPage<Long> first = RunSearch.search(db.connection(), List.of(experiment, other), null, List.of(),
                ViewType.ACTIVE_ONLY, 5, null);
        SearchPage<Long> second = RunSearch.search(db.connection(), List.of(other, experiment, other), null,
                List.of(), ViewType.ACTIVE_ONLY, 5, first.nextPageToken());
        assertEquals(5, second.ids().size());
        assertTrue(second.ids().stream().noneMatch(first.ids()::contains));
    }

    @Test
    void emptyTokenMeansFirstPage() throws SQLException {
        assertEquals(page(null, List.of(), 5, null).ids(), page(null, List.of(), 5, "").ids());
        assertNull(page(null, List.of(), 1000, "").nextPageToken());
    }
}
