package dev.cairn.tracking.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.cairn.common.search.SearchPage;

/** Experiment search against real PostgreSQL: filters, MLflow's default order and tiebreaker, paging. */
class ExperimentSearchTest {

    private record Exp(long id, String name, long created, long updated) {
    }

    private static SearchDb db;
    private static long x1;
    private static long x2;
    private static long x3;
    private static long x4;
    private static long x5;
    private static final List<Exp> BULK = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        db = SearchDb.start();
        x1 = db.experiment("prod-churn", 100, "active");
        db.experimentTag(x1, "team", "ml");
        x2 = db.experiment("prod-fraud", 200, "active");
        db.experimentTag(x2, "team", "ops");
        x3 = db.experiment("dev-churn", 200, "deleted");
        db.experimentTag(x3, "team", "ml");
        x4 = db.experiment("Prod-ads", 300, "active");
        x5 = db.experiment("staging", 100, "active");
        for (int n = 0; n < 30; n++) {
            long created = 10L * (1 + n % 2);
            String name = String.format(Locale.ROOT, "bulk-%02d", (n * 7) % 30);
            long id = db.experiment(name, created, "active");
            BULK.add(new Exp(id, name, created, created + 1));
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private static SearchPage<Long> search(String filter, List<String> orderBy, ViewType view, int max, String token)
            throws SQLException {
        return ExperimentSearch.search(db.connection(), filter, orderBy, view, max, token,
                dev.cairn.common.ReadScope.EVERYTHING);
    }

    private static Set<Long> matching(String filter) throws SQLException {
        return Set.copyOf(search(filter, null, ViewType.ACTIVE_ONLY, 1000, null).ids());
    }

    private static String rejected(String filter, List<String> orderBy) {
        return assertThrows(CairnException.class, () -> search(filter, orderBy, ViewType.ACTIVE_ONLY, 10, null))
                .getMessage();
    }

    @Test
    void filtersByNamePatternAndTag() throws SQLException {
        assertEquals(Set.of(x1), matching("name LIKE 'prod-%' AND tags.team = 'ml'"));
        assertEquals(Set.of(x1, x2, x4), matching("name ILIKE 'prod-%'"));
        assertEquals(Set.of(x5), matching("attribute.name = 'staging'"));
        assertEquals(Set.of(x2), matching("tag.team != 'ml'"));
        assertEquals(Set.of(x2, x5), matching("name = 'staging' OR tags.team = 'ops'"));
        assertEquals(Set.of(x4, x5), matching("tags.team IS NULL AND (name = 'staging' OR name = 'Prod-ads')"));
        assertEquals(Set.of(x1, x2), matching("tags.team IN ('ml', 'ops')"));
    }

    @Test
    void filtersByCreationTime() throws SQLException {
        long defaultExperiment = 0;
        assertEquals(Set.of(x2, x4, defaultExperiment), matching("creation_time > 150"));
        assertEquals(Set.of(x2, x3, x4, defaultExperiment),
                Set.copyOf(search("creation_time > 150", null, ViewType.ALL, 100, null).ids()));
        assertEquals(Set.of(x3), Set.copyOf(search(null, null, ViewType.DELETED_ONLY, 100, null).ids()));
        assertEquals(Set.of(x1, x5), matching("creation_time = 100 AND last_update_time <= 101"));
    }

    @Test
    void rejectsPluralAttributesPrefix() {
        assertTrue(rejected("attributes.name = 'x'", null).contains("unknown entity type 'attributes'"));
    }

    @Test
    void defaultOrderIsCreationTimeDescThenIdAsc() throws SQLException {
        List<Long> ids = search("name LIKE 'prod%' OR name = 'staging'", null, ViewType.ACTIVE_ONLY, 100, null).ids();
        // x2 (200); then x1 and x5 tie on 100 -> id ascending.
        assertEquals(List.of(x2, x1, x5), ids);
    }

    @Test
    void explicitOrderGetsExperimentIdDescendingTiebreaker() throws SQLException {
        List<Long> ids = search("name LIKE 'prod%' OR name = 'staging'", List.of("creation_time ASC"),
                ViewType.ACTIVE_ONLY, 100, null).ids();
        assertEquals(List.of(x5, x1, x2), ids);
        List<Long> byIdAsc = search("name LIKE 'prod%' OR name = 'staging'",
                List.of("creation_time ASC", "experiment_id ASC"), ViewType.ACTIVE_ONLY, 100, null).ids();
        assertEquals(List.of(x1, x5, x2), byIdAsc);
    }

    @Test
    void rejectsBadOrderBy() {
        assertTrue(rejected(null, List.of("name", "attribute.name DESC")).contains("orders by the same field"));
        assertTrue(rejected(null, List.of("tags.team")).contains("cannot order experiments by tags"));
        assertTrue(rejected(null, List.of("artifact_location")).contains("unknown attribute 'artifact_location'"));
    }

    // ---- paging -------------------------------------------------------------------------------------

    private static final Comparator<Exp> ID_DESC = Comparator.comparingLong(Exp::id).reversed();

    private static List<Long> walk(String filter, List<String> orderBy, int size) throws SQLException {
        List<Long> all = new ArrayList<>();
        String token = null;
        do {
            SearchPage<Long> page = search(filter, orderBy, ViewType.ACTIVE_ONLY, size, token);
            all.addAll(page.ids());
            token = page.nextPageToken();
        } while (token != null);
        return all;
    }

    private static void assertPages(List<String> orderBy, Comparator<Exp> order) throws SQLException {
        List<Long> expected = BULK.stream().sorted(order).map(Exp::id).toList();
        for (int size : new int[] {1, 2, 5, 7, 30, 31}) {
            List<Long> walked = walk("name LIKE 'bulk-%'", orderBy, size);
            assertEquals(expected, walked, "pages of " + size + " for " + orderBy);
            assertEquals(walked.size(), new HashSet<>(walked).size());
        }
    }

    @Test
    void pagesThroughTiesWithoutGapsOrDuplicates() throws SQLException {
        assertPages(List.of(), Comparator.comparingLong(Exp::created).reversed().thenComparingLong(Exp::id));
        assertPages(List.of("creation_time ASC"), Comparator.comparingLong(Exp::created).thenComparing(ID_DESC));
        assertPages(List.of("name DESC"), Comparator.comparing(Exp::name).reversed().thenComparing(ID_DESC));
        assertPages(List.of("last_update_time DESC", "experiment_id ASC"),
                Comparator.comparingLong(Exp::updated).reversed().thenComparingLong(Exp::id));
        assertPages(List.of("experiment_id DESC"), ID_DESC);
    }

    @Test
    void rejectsATokenFromADifferentSearch() throws SQLException {
        String token = search("name LIKE 'bulk-%'", null, ViewType.ACTIVE_ONLY, 3, null).nextPageToken();
        String msg = assertThrows(CairnException.class,
                () -> search("name LIKE 'bulk-1%'", null, ViewType.ACTIVE_ONLY, 3, token)).getMessage();
        assertTrue(msg.startsWith("Invalid page token"), msg);
        // A run-search token is not an experiment-search token either.
        assertThrows(CairnException.class, () -> search("name LIKE 'bulk-%'", null, ViewType.ALL, 3, token));
    }

    @Test
    void noFilterReturnsEveryExperimentOfTheView() throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement(
                "SELECT count(*) FROM experiments WHERE lifecycle_stage = 'active'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(rs.getLong(1), search(null, null, ViewType.ACTIVE_ONLY, 1000, null).ids().size());
            assertEquals(rs.getLong(1) + 1, search("", List.of(), ViewType.ALL, 1000, "").ids().size());
        }
    }
}
