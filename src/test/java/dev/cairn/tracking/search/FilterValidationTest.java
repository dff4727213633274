package dev.cairn.tracking.search;

import dev.cairn.common.search.Sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.FilterCompiler;
import dev.cairn.common.search.FilterParser;

/** Per-entity semantic checks (prefixes, attributes, comparators, value types) and SQL binding; no database. */
class FilterValidationTest {

    /** Compiles against the run vocabulary, recording the resolved fields. */
    private static List<Field> runFields(String filter) {
        List<Field> fields = new ArrayList<>();
        FilterCompiler.compile(FilterParser.parseFilter(filter), filter, RunFields::resolveFilter,
                (out, field, c) -> {
                    fields.add(field);
                    out.append("TRUE");
                });
        return fields;
    }

    private static String runError(String filter) {
        CairnException e = assertThrows(CairnException.class, () -> runFields(filter));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        return e.getMessage();
    }

    private static void experimentFilter(String filter) {
        FilterCompiler.compile(FilterParser.parseFilter(filter), filter, ExperimentFields::resolveFilter,
                (out, field, c) -> out.append("TRUE"));
    }

    private static String experimentError(String filter) {
        CairnException e = assertThrows(CairnException.class, () -> experimentFilter(filter));
        return e.getMessage();
    }

    // ---- runs ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "metrics.rmse < 0.8 AND params.model_type = 'rf'",
        "attributes.status = 'FINISHED' AND attributes.start_time >= 1735689600000",
        "attributes.run_id IN ('3f2a', '9c1d')",
        "tags.`mlflow.runName` LIKE 'sweep-%'",
        "params.optimizer ILIKE '%adam%' AND metrics.\"val loss\" != 0",
        "datasets.name = 'iris' AND datasets.context = 'training'",
        "metric.a > 1 AND param.b = 'x' AND parameter.c = 'y' AND parameters.d = 'z' AND tag.e = 'w'",
        "attr.status = 'RUNNING' AND run.user_id = 'bob' AND attribute.end_time < 5",
        "dataset.digest IN ('abc') AND datasets.name NOT IN ('x')",
        "tags.a IS NULL OR params.b IS NOT NULL",
        "params.lr IN ('0.1', '0.01') AND tags.team NOT IN ('x')",
        "run_id NOT IN ('a') AND run_id LIKE 'ab%'",
    })
    void acceptsValidRunFilters(String filter) {
        assertFalse(runFields(filter).isEmpty());
    }

    @Test
    void translatesAttributeAliases() {
        assertEquals("start_time", runFields("created > 5").get(0).key());
        assertEquals("start_time", runFields("attributes.Created > 5").get(0).key());
        assertEquals("run_name", runFields("`run name` = 'x'").get(0).key());
        assertEquals("run_name", runFields("attributes.`Run name` = 'x'").get(0).key());
        assertEquals("run_name", runFields("attributes.\"Run Name\" = 'x'").get(0).key());
    }

    @Test
    void rejectsLikeOnMetrics() {
        assertEquals("Invalid filter 'metrics.m LIKE 'a'': comparator 'LIKE' at position 11 is not supported "
                + "for metrics.m; use one of =, !=, >, >=, <, <=", runError("metrics.m LIKE 'a'"));
    }

    @Test
    void rejectsRangeComparisonOnParams() {
        String msg = runError("params.x > 1");
        assertTrue(msg.contains("comparator '>' at position 10 is not supported for params.x; "
                + "use one of =, !=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL"), msg);
    }

    @Test
    void rejectsStringValueForMetric() {
        String msg = runError("metrics.acc > '0.9'");
        assertTrue(msg.contains("expected a number for metrics.acc, found string '0.9' at position 15"), msg);
    }

    @Test
    void rejectsNumberValueForParam() {
        String msg = runError("params.lr = 0.01");
        assertTrue(msg.contains("expected a quoted string for params.lr, found number 0.01 at position 13"), msg);
    }

    @Test
    void rejectsStringValueForNumericAttribute() {
        assertTrue(runError("start_time > 'yesterday'").contains("expected a number for start_time"));
    }

    @Test
    void rejectsNumberValueForStringAttribute() {
        assertTrue(runError("status = 1").contains("expected a quoted string for status"));
    }

    @Test
    void rejectsUnknownEntityPrefix() {
        assertEquals("Invalid filter 'metricz.acc > 1': unknown entity type 'metricz' in 'metricz.acc' at position 1; "
                + "valid prefixes are metrics, params, tags, attributes, datasets", runError("metricz.acc > 1"));
        // Prefixes are case-sensitive, as in MLflow.
        assertTrue(runError("METRICS.acc > 1").contains("unknown entity type 'METRICS'"));
    }

    @Test
    void rejectsUnknownAttribute() {
        String msg = runError("lr = '0.1'");
        assertTrue(msg.contains("unknown attribute 'lr' at position 1; valid attributes are run_id, run_name, "
                + "user_id, status, artifact_uri, start_time, end_time (use metrics., params. or tags."), msg);
        assertTrue(runError("attributes.experiment_id = '1'").contains("unknown attribute 'experiment_id'"));
        assertTrue(runError("attributes.lifecycle_stage = 'active'").contains("unknown attribute"));
    }

    @Test
    void rejectsUnknownDatasetField() {
        assertTrue(runError("datasets.source = 'x'").contains("unknown dataset field 'source'"));
    }

    @Test
    void rejectsInOnStringAttributesOtherThanRunId() {
        assertTrue(runError("status IN ('FINISHED')")
                .contains("comparator 'IN' at position 8 is not supported for status"));
    }

    @Test
    void rejectsNumbersInLists() {
        assertTrue(runError("run_id IN ('a', 1)").contains("expected a quoted string for run_id, found number 1"));
    }

    @Test
    void rejectsIsNullOnMetricsAndAttributes() {
        assertTrue(runError("metrics.a IS NULL").contains("comparator 'IS NULL'"));
        assertTrue(runError("end_time IS NULL").contains("comparator 'IS NULL'"));
    }

    @Test
    void semanticErrorsInsideOrAndParenthesesAreReported() {
        assertTrue(runError("params.a = 'x' OR (tags.b = 'y' AND metrics.c LIKE 'z')")
                .contains("comparator 'LIKE' at position 47"));
    }

    // ---- experiments --------------------------------------------------------------------------------

    @Test
    void acceptsValidExperimentFilters() {
        experimentFilter("name LIKE 'prod-%' AND tags.team = 'ml'");
        experimentFilter("creation_time > 1700000000000");
        experimentFilter("attribute.name = 'x' AND tag.owner = 'a' AND last_update_time <= 5");
        experimentFilter("tags.owner IS NULL OR tags.team IN ('a', 'b')");
    }

    @Test
    void rejectsPluralAttributesPrefixForExperiments() {
        String msg = experimentError("attributes.name = 'x'");
        assertTrue(msg.contains("unknown entity type 'attributes' in 'attributes.name' at position 1; "
                + "valid prefixes for experiments are attribute, tag, tags"), msg);
        assertTrue(experimentError("metrics.a > 1").contains("unknown entity type 'metrics'"));
    }

    @Test
    void rejectsUnknownExperimentAttributesAndComparators() {
        assertTrue(experimentError("experiment_id = 1").contains("unknown attribute 'experiment_id'"));
        assertTrue(experimentError("name > 'a'").contains("comparator '>' at position 6 is not supported for name"));
        assertTrue(experimentError("creation_time LIKE '1%'").contains("comparator 'LIKE'"));
        assertTrue(experimentError("name IN ('a')").contains("comparator 'IN'"));
    }

    // ---- SQL is parameterised -----------------------------------------------------------------------

    @Test
    void userTextNeverReachesSqlText() {
        String filter = "params.x = 'a'' OR 1=1 --' AND tags.\"k'; DROP TABLE runs; --\" LIKE '%' "
                + "OR metrics.`x\"y` > 1 OR run_id IN ('z'') OR (''1''=''1')";
        Sql sql = FilterCompiler.compile(FilterParser.parseFilter(filter), filter, RunFields::resolveFilter,
                (out, field, c) -> {
                    switch (field.kind()) {
                        case ATTRIBUTE -> FilterCompiler.compareText(out, "r.run_uuid", c);
                        case METRIC -> out.append("m.key = ").bind(field.key());
                        default -> {
                            out.append("kv.key = ").bind(field.key()).append(" AND ");
                            FilterCompiler.compareText(out, "kv.value", c);
                        }
                    }
                });
        String text = sql.text();
        assertFalse(text.contains("1=1"), text);
        assertFalse(text.contains("DROP"), text);
        assertFalse(text.contains("'"), "no literal quotes at all: " + text);
        assertTrue(sql.binds().contains("a' OR 1=1 --"), sql.binds().toString());
        assertTrue(sql.binds().contains("k'; DROP TABLE runs; --"), sql.binds().toString());
        assertTrue(sql.binds().contains("x\"y"), sql.binds().toString());
    }
}
