package dev.cairn.tracking.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.cairn.common.search.SearchPage;

/** Run search against real PostgreSQL: filter semantics, ordering with NaN/missing values, safety. */
class RunSearchTest {

    private static SearchDb db;
    private static long e1;
    private static long e2;
    private static long r1;
    private static long r2;
    private static long r3;
    private static long r4;
    private static long r5;
    private static long r6;
    private static long r7;

    private static String uuid(int n) {
        return String.format(Locale.ROOT, "%02d", n) + "ab".repeat(15);
    }

    @BeforeAll
    static void setUp() throws Exception {
        db = SearchDb.start();
        e1 = db.experiment("main", 1, "active");
        e2 = db.experiment("other", 2, "active");

        r1 = db.run(e1, uuid(1), "sweep-1", "FINISHED", 1000, 2000L, "alice", "active");
        db.metric(r1, "rmse", 0.5);
        db.metric(r1, "acc", 0.9);
        db.metric(r1, "val loss", 0.3);
        db.param(r1, "model_type", "rf");
        db.param(r1, "optimizer", "Adam");
        db.param(r1, "lr", "0.01");
        db.tag(r1, "team", "ml");
        db.dataset(r1, "iris", "d1", "training");

        r2 = db.run(e1, uuid(2), "sweep-2", "FINISHED", 2000, 3000L, "bob", "active");
        db.metric(r2, "rmse", 0.9);
        db.metric(r2, "acc", 0.7);
        db.param(r2, "model_type", "rf");
        db.param(r2, "optimizer", "sgd");
        db.param(r2, "lr", "0.1");
        db.tag(r2, "team", "ops");
        db.dataset(r2, "iris", "d1", "eval");
        db.dataset(r2, "wine", "d2", "training");

        r3 = db.run(e1, uuid(3), "baseline", "RUNNING", 3000, null, null, "active");
        db.metric(r3, "rmse", Double.NaN);
        db.metric(r3, "acc", 0.0);
        db.metric(r3, "val loss", 0.0);
        db.param(r3, "model_type", "xgb");
        db.param(r3, "optimizer", "ADAMW");

        r4 = db.run(e1, uuid(4), "Sweep-4", "FAILED", 4000, 5000L, "alice", "active");
        db.param(r4, "model_type", "rf");
        db.tag(r4, "team", "ML");

        r5 = db.run(e1, uuid(5), "deleted-run", "FINISHED", 5000, 6000L, "alice", "deleted");
        db.param(r5, "model_type", "rf");

        r6 = db.run(e2, uuid(6), "other", "FINISHED", 6000, 7000L, "carol", "active");
        db.param(r6, "model_type", "rf");

        r7 = db.run(e1, uuid(7), "inj", "KILLED", 500, null, "mallory", "active");
        db.param(r7, "x", "a' OR 1=1 --");
        db.param(r7, "k'; DROP TABLE runs; --", "v");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private static SearchPage<Long> search(List<Long> experiments, String filter, List<String> orderBy,
                                           ViewType view, int max, String token) throws SQLException {
        return RunSearch.search(db.connection(), experiments, filter, orderBy, view, max, token);
    }

    /** Matching run ids in experiment 1 (active runs), as a set. */
    private static Set<Long> matching(String filter) throws SQLException {
        return Set.copyOf(search(List.of(e1), filter, List.of(), ViewType.ACTIVE_ONLY, 1000, null).ids());
    }

    private static List<Long> ordered(String... orderBy) throws SQLException {
        return search(List.of(e1), null, List.of(orderBy), ViewType.ACTIVE_ONLY, 1000, null).ids();
    }

    private static List<Long> filteredAndOrdered(String filter, String orderBy) throws SQLException {
        return search(List.of(e1), filter, List.of(orderBy), ViewType.ACTIVE_ONLY, 1000, null).ids();
    }

    private static String rejected(String filter, String... orderBy) {
        CairnException e = assertThrows(CairnException.class,
                () -> search(List.of(e1), filter, List.of(orderBy), ViewType.ACTIVE_ONLY, 10, null));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        return e.getMessage();
    }

    // ---- the reference example filters -------------------------------------------------------------

    @Test
    void filtersByLatestMetricAndParam() throws SQLException {
        assertEquals(Set.of(r1), matching("metrics.rmse < 0.8 AND params.model_type = 'rf'"));
    }

    @Test
    void filtersByStatusAndStartTime() throws SQLException {
        String filter = "attributes.status = 'FINISHED' AND attributes.start_time >= 2000";
        assertEquals(Set.of(r2), matching(filter));
        assertEquals(Set.of(r2, r5),
                Set.copyOf(search(List.of(e1), filter, List.of(), ViewType.ALL, 100, null).ids()));
    }

    @Test
    void runIdInIgnoresValuesWithUpperCaseLetters() throws SQLException {
        String filter = "attributes.run_id IN ('" + uuid(1) + "', '" + uuid(2).toUpperCase(Locale.ROOT) + "')";
        assertEquals(Set.of(r1), matching(filter));
        assertEquals(Set.of(), matching("run_id IN ('" + uuid(2).toUpperCase(Locale.ROOT) + "')"));
        assertEquals(Set.of(r2, r3, r4, r7), matching("run_id NOT IN ('" + uuid(1) + "')"));
        assertEquals(Set.of(r3), matching("run_id = '" + uuid(3) + "'"));
    }

    @Test
    void runNameMatchesLikeTheRunNameTag() throws SQLException {
        assertEquals(Set.of(r1, r2), matching("tags.`mlflow.runName` LIKE 'sweep-%'"));
        assertEquals(Set.of(r1, r2), matching("attributes.run_name LIKE 'sweep-%'"));
        assertEquals(Set.of(r1, r2), matching("`Run name` LIKE 'sweep-%'"));
        assertEquals(Set.of(r1, r2, r4), matching("run_name ILIKE 'sweep-%'"));
    }

    @Test
    void ilikeParamAndQuotedMetricKey() throws SQLException {
        assertEquals(Set.of(r1, r3), matching("params.optimizer ILIKE '%adam%'"));
        assertEquals(Set.of(r1), matching("params.optimizer ILIKE '%adam%' AND metrics.\"val loss\" != 0"));
        assertEquals(Set.of(r1), matching("metrics.`val loss` > 0.1"));
    }

    @Test
    void datasetComparisonsAreIndependentAsInMlflow() throws SQLException {
        assertEquals(Set.of(r1, r2), matching("datasets.name = 'iris'"));
        assertEquals(Set.of(r1, r2), matching("datasets.context = 'training'"));
        // Each dataset comparison is its own EXISTS (MLflow joins one subquery per comparison), so r2
        // matches through its iris/eval and wine/training inputs.
        assertEquals(Set.of(r1, r2), matching("datasets.name = 'iris' AND datasets.context = 'training'"));
        assertEquals(Set.of(r2), matching("datasets.name IN ('wine') AND dataset.digest = 'd2'"));
        assertEquals(Set.of(r2), matching("datasets.context ILIKE 'EV%'"));
    }

    // ---- comparison semantics ----------------------------------------------------------------------

    @Test
    void notEqualsOnlyMatchesRunsHavingTheKey() throws SQLException {
        assertEquals(Set.of(r2, r4), matching("tags.team != 'ml'"));
        assertEquals(Set.of(r2), matching("metrics.acc != 0.9 AND metrics.acc != 0"));
    }

    @Test
    void likeIsCaseSensitiveAndIlikeIsNot() throws SQLException {
        assertEquals(Set.of(r1), matching("tags.team LIKE 'ml'"));
        assertEquals(Set.of(r1, r4), matching("tags.team ILIKE 'ml'"));
    }

    @Test
    void likeValuesAreUsedAsIsWithWildcards() throws SQLException {
        assertEquals(Set.of(r1), matching("run_name LIKE 'sweep_1'"));
        assertEquals(Set.of(r1, r2), matching("run_name LIKE 'sweep%'"));
        assertEquals(Set.of(), matching("run_name LIKE 'sweep\\_1'"));
    }

    @Test
    void nanMatchesOnlyNotEquals() throws SQLException {
        assertEquals(Set.of(r1, r2), matching("metrics.rmse > 0"));
        assertEquals(Set.of(r1, r2), matching("metrics.rmse >= -1e400"));
        assertEquals(Set.of(r1, r2), matching("metrics.rmse <= 1e400"));
        assertEquals(Set.of(r2, r3), matching("metrics.rmse != 0.5"));
        assertEquals(Set.of(r1), matching("metrics.rmse = 0.5"));
    }

    @Test
    void numericAttributesCompareExactlyWithDecimalsAndHugeBounds() throws SQLException {
        assertEquals(Set.of(r2, r3, r4), matching("start_time > 1999.5"));
        assertEquals(Set.of(r2, r3, r4), matching("start_time >= 1999.5"));
        assertEquals(Set.of(r1, r7), matching("start_time < 1999.5"));
        assertEquals(Set.of(r1, r7), matching("start_time <= 1999.5"));
        assertEquals(Set.of(r2), matching("start_time = 2000.0"));
        assertEquals(Set.of(), matching("start_time = 2000.5"));
        assertEquals(Set.of(r1, r2, r3, r4, r7), matching("start_time != 2000.5"));
        assertEquals(Set.of(r1, r2, r3, r4, r7), matching("created < 1e30"));
        assertEquals(Set.of(), matching("start_time > 1e30"));
        assertEquals(Set.of(r1, r2, r3, r4, r7), matching("start_time > -1e30"));
        assertEquals(Set.of(r1), matching("end_time < 2500"));
        assertEquals(Set.of(r3, r4), matching("start_time >= 3e3 AND start_time <= 4.0e3"));
    }

    @Test
    void stringAttributes() throws SQLException {
        assertEquals(Set.of(r1, r4), matching("user_id = 'alice'"));
        assertEquals(Set.of(r2, r7), matching("user_id != 'alice'"));
        assertEquals(Set.of(r3), matching("status = 'RUNNING'"));
        assertEquals(Set.of(r1), matching("artifact_uri LIKE '%" + uuid(1) + "'"));
    }

    @Test
    void isNullMatchesRunsWithoutTheKey() throws SQLException {
        assertEquals(Set.of(r3, r7), matching("tags.team IS NULL"));
        assertEquals(Set.of(r1, r2, r4), matching("tags.team IS NOT NULL"));
        assertEquals(Set.of(r4, r7), matching("params.optimizer IS NULL AND params.lr IS NULL AND tags.team IS NOT NULL"
                + " OR params.x IS NOT NULL"));
    }

    @Test
    void paramsAndTagsSupportInLists() throws SQLException {
        assertEquals(Set.of(r1, r2), matching("params.lr IN ('0.01', '0.1')"));
        assertEquals(Set.of(r2), matching("params.lr NOT IN ('0.01')"));
        assertEquals(Set.of(r1, r4), matching("tags.team IN ('ml', 'ML')"));
    }

    @Test
    void orCombinesAndAndBindsTighter() throws SQLException {
        assertEquals(Set.of(r2, r3), matching("params.model_type = 'xgb' OR tags.team = 'ops'"));
        assertEquals(Set.of(r3, r2),
                matching("params.model_type = 'xgb' OR tags.team = 'ops' AND metrics.acc > 0.5"));
        assertEquals(Set.of(r2),
                matching("(params.model_type = 'xgb' OR tags.team = 'ops') AND metrics.acc > 0.5"));
        assertEquals(Set.of(r1, r3),
                matching("((metrics.acc > 0.8) OR (params.model_type = 'xgb' AND (status = 'RUNNING')))"));
    }

    @Test
    void scopesByExperimentsAndViewType() throws SQLException {
        String filter = "params.model_type = 'rf'";
        assertEquals(Set.of(r1, r2, r4, r6),
                Set.copyOf(search(List.of(e1, e2), filter, null, ViewType.ACTIVE_ONLY, 100, null).ids()));
        assertEquals(Set.of(r6), Set.copyOf(search(List.of(e2), filter, null, ViewType.ACTIVE_ONLY, 100, null).ids()));
        assertEquals(Set.of(r5), Set.copyOf(search(List.of(e1), null, null, ViewType.DELETED_ONLY, 100, null).ids()));
        assertEquals(6, search(List.of(e1), "", null, ViewType.ALL, 100, null).ids().size());
    }

    // ---- SQL injection ------------------------------------------------------------------------------

    @Test
    void injectionInValuesIsBoundAsPlainText() throws SQLException {
        assertEquals(Set.of(r7), matching("params.x = 'a'' OR 1=1 --'"));
        assertEquals(Set.of(), matching("params.model_type = 'rf'' OR ''1''=''1'"));
        assertEquals(Set.of(), matching("params.model_type = 'x\\' OR 1=1 --'"));
        assertEquals(Set.of(), matching("run_id IN ('x'') OR (''1''=''1')"));
    }

    @Test
    void injectionInKeysIsBoundAsPlainText() throws SQLException {
        assertEquals(Set.of(r7), matching("params.\"k'; DROP TABLE runs; --\" = 'v'"));
        assertEquals(Set.of(r7), matching("params.`k'; DROP TABLE runs; --` LIKE '%'"));
        assertEquals(Set.of(), matching("tags.`x\" = 1 OR 1=1; --` = 'v'"));
        List<Long> ordered = ordered("params.`k'; DROP TABLE runs; --` ASC");
        assertEquals(r7, ordered.get(0));
        assertEquals(7, db.single("SELECT count(*) FROM runs"));
    }

    @Test
    void injectionOutsideQuotesIsRejected() {
        assertTrue(rejected("params.x = 'a' OR 1=1").contains("unexpected '1' at position 19, expected an identifier"));
        assertTrue(rejected("params.x = 'a'; DELETE FROM runs").contains("unexpected character ';'"));
        assertTrue(rejected("params.x = 'a' --").contains("unexpected character '-'"));
        assertTrue(rejected(null, "start_time; DROP TABLE runs").contains("unexpected character ';'"));
    }

    // ---- ordering -----------------------------------------------------------------------------------

    @Test
    void defaultOrderIsStartTimeDescending() throws SQLException {
        assertEquals(List.of(r4, r3, r2, r1, r7), ordered());
    }

    @Test
    void metricOrderPutsNanAfterNumbersAndMissingLastInBothDirections() throws SQLException {
        // r4 and r7 have no rmse: last, tied, broken by start_time DESC.
        assertEquals(List.of(r1, r2, r3, r4, r7), ordered("metrics.rmse ASC"));
        assertEquals(List.of(r2, r1, r3, r4, r7), ordered("metrics.rmse DESC"));
    }

    @Test
    void paramOrderPutsMissingLastInBothDirections() throws SQLException {
        assertEquals(List.of(r1, r2, r4, r3, r7), ordered("params.lr"));
        assertEquals(List.of(r2, r1, r4, r3, r7), ordered("params.lr DESC"));
    }

    @Test
    void nullableAttributesSortMissingLast() throws SQLException {
        assertEquals(List.of(r1, r2, r4, r3, r7), ordered("end_time ASC"));
        assertEquals(List.of(r4, r2, r1, r3, r7), ordered("attributes.end_time DESC"));
        assertEquals(List.of(r4, r1, r2, r7, r3), ordered("user_id ASC"));
        assertEquals(List.of(r7, r2, r4, r1, r3), ordered("user_id DESC"));
    }

    @Test
    void explicitStartTimeReplacesTheImplicitTiebreaker() throws SQLException {
        assertEquals(List.of(r7, r1, r2, r3, r4), ordered("created ASC"));
        assertEquals(List.of(r7, r4, r3, r2, r1), ordered("run_id DESC"));
        assertEquals(List.of(r4, r1, r2, r7, r3), ordered("status", "start_time"));
    }

    @Test
    void filteringOnASortKeyMatchesTheSameRuns() throws SQLException {
        // These comparisons reuse the sort key's join instead of their own EXISTS; results must not change.
        String[][] cases = {
            {"metrics.rmse > 0", "metrics.rmse DESC"},
            {"metrics.rmse != 0.5 OR params.model_type = 'rf'", "metrics.rmse"},
            {"metrics.acc <= 0.7 AND metrics.rmse >= 0.5", "metrics.acc DESC"},
            {"tags.team IS NULL", "tags.team"},
            {"tags.team IS NOT NULL AND tags.team != 'ml'", "tags.team DESC"},
            {"params.lr IN ('0.01', '0.1') OR tags.team LIKE 'M%'", "params.lr"},
            {"params.lr NOT IN ('0.01')", "params.lr DESC"},
        };
        for (String[] c : cases) {
            List<Long> sorted = filteredAndOrdered(c[0], c[1]);
            assertEquals(matching(c[0]), Set.copyOf(sorted), c[0] + " ordered by " + c[1]);
            assertEquals(sorted.size(), Set.copyOf(sorted).size());
        }
        assertEquals(List.of(r2, r1), filteredAndOrdered("metrics.rmse > 0", "metrics.rmse DESC"));
        assertEquals(List.of(r1, r2, r3, r4),
                filteredAndOrdered("metrics.rmse != 0.5 OR params.model_type = 'rf'", "metrics.rmse"));
        assertEquals(List.of(r3, r7), filteredAndOrdered("tags.team IS NULL", "tags.team"));
    }

    @Test
    void rejectsDuplicateOrderBy() {
        assertTrue(rejected(null, "start_time DESC", "created ASC").contains("orders by the same field"));
        assertTrue(rejected(null, "metrics.a", "metric.a DESC").contains("orders by the same field"));
        assertTrue(rejected(null, "`Run Name`", "run_name").contains("orders by the same field"));
    }

    @Test
    void rejectsUnsupportedOrderBy() {
        assertTrue(rejected(null, "datasets.name").contains("cannot order by datasets"));
        assertTrue(rejected(null, "lifecycle_stage").contains("unknown attribute 'lifecycle_stage'"));
        assertTrue(rejected(null, "metrics.a UP").contains("expected ASC, DESC or the end of the clause"));
    }

    @Test
    void keysWithTheSameNameOnDifferentEntitiesAreNotDuplicates() throws SQLException {
        assertEquals(5, ordered("params.lr", "tags.lr", "metrics.lr").size());
    }

    // ---- paging basics ------------------------------------------------------------------------------

    @Test
    void nextPageTokenOnlyWhenMoreRowsExist() throws SQLException {
        SearchPage<Long> all = search(List.of(e1), null, null, ViewType.ACTIVE_ONLY, 5, null);
        assertEquals(5, all.ids().size());
        assertNull(all.nextPageToken());
        SearchPage<Long> first = search(List.of(e1), null, null, ViewType.ACTIVE_ONLY, 4, "");
        assertNotNull(first.nextPageToken());
        SearchPage<Long> second = search(List.of(e1), null, null, ViewType.ACTIVE_ONLY, 4, first.nextPageToken());
        assertEquals(List.of(r7), second.ids());
        assertNull(second.nextPageToken());
    }

    @Test
    void emptySearchReturnsNoToken() throws SQLException {
        SearchPage<Long> none = search(List.of(e1), "params.model_type = 'none'", null, ViewType.ACTIVE_ONLY, 5, null);
        assertEquals(List.of(), none.ids());
        assertNull(none.nextPageToken());
    }
}
