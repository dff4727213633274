package dev.cairn.tracking.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.TrackingTestData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/metrics/downsampled}: slices, min/max/last per slice, spikes, NaN and ±Infinity,
 * the three x axes, zoom ranges and out-of-order steps (the exact query path).
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class DownsamplingTest {

    static final String PATH = "/api/v1/metrics/downsampled";

    private static JsonPath get(String runId, String key, Object... params) {
        var spec = given().queryParam("run_id", runId).queryParam("key", key);
        for (int i = 0; i < params.length; i += 2) {
            spec = spec.queryParam((String) params[i], params[i + 1]);
        }
        return spec.get(PATH).then().statusCode(200).extract().jsonPath();
    }

    private static String newRun() {
        return TrackingTestData.run(TrackingTestData.experiment(TrackingTestData.unique("ds")), "r", TrackingTestData.T0);
    }

    private static List<Double> doubles(JsonPath json, String path) {
        List<Double> out = new ArrayList<>();
        for (Object o : json.getList(path)) {
            out.add(o == null ? null : ((Number) o).doubleValue());
        }
        return out;
    }

    private static List<Long> longs(JsonPath json, String path) {
        List<Long> out = new ArrayList<>();
        for (Object o : json.getList(path)) {
            out.add(((Number) o).longValue());
        }
        return out;
    }

    @Test
    void spikesAndDipsInsideABucketSurvive() {
        String run = newRun();
        TrackingTestData.metric(run, "loss", 0, 10_000, s -> s == 4567 ? 1000.0 : s == 1234 ? -5.0 : 1.0);
        JsonPath json = get(run, "loss", "buckets", 100);
        List<Double> max = doubles(json, "series[0].max");
        List<Double> min = doubles(json, "series[0].min");
        List<Long> x = longs(json, "series[0].x");
        assertEquals(100, x.size());
        assertEquals(10_000L, json.getLong("series[0].points"));
        assertEquals(10_000L, longs(json, "series[0].count").stream().mapToLong(Long::longValue).sum());
        assertEquals(1000.0, max.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        assertEquals(-5.0, min.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        // the spike is in the slice covering step 4567 (steps 4500..4599), the dip in 1200..1299
        assertEquals(1000.0, max.get(45));
        assertEquals(4599L, x.get(45));
        assertEquals(-5.0, min.get(12));
        assertEquals(1.0, doubles(json, "series[0].last").get(45)); // the slice's last point is ordinary
    }

    @Test
    void slicesHaveEqualWidthsAndReportTheirLastPoint() {
        String run = newRun();
        TrackingTestData.metric(run, "acc", 0, 1000, s -> (double) s);
        JsonPath json = get(run, "acc", "buckets", 10);
        assertEquals(List.of(99L, 199L, 299L, 399L, 499L, 599L, 699L, 799L, 899L, 999L), longs(json, "series[0].x"));
        assertEquals(List.of(100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L),
                longs(json, "series[0].count"));
        assertEquals(99.0, doubles(json, "series[0].last").get(0));
        assertEquals(900.0, doubles(json, "series[0].min").get(9));
        assertEquals(0L, ((Number) json.get("series[0].from")).longValue());
        assertEquals(999L, json.getLong("series[0].to"));

        // fewer points than buckets: one slice per point
        JsonPath fine = get(run, "acc", "buckets", 5000);
        assertEquals(1000, longs(fine, "series[0].x").size());
    }

    @Test
    void nanAndInfinityNeverEnterMinMaxOrLast() {
        String run = newRun();
        // steps 0-9: NaN only; 10-19: finite with +Inf at 15 and -Inf at 16; 20-29 finite, NaN last
        TrackingTestData.metric(run, "m", 0, 30, s -> s < 10 ? Double.NaN : s == 15 ? Double.POSITIVE_INFINITY
                : s == 16 ? Double.NEGATIVE_INFINITY : s == 29 ? Double.NaN : (double) s);
        JsonPath json = get(run, "m", "buckets", 3);
        assertEquals(30L, json.getLong("series[0].points"));
        assertEquals(13L, json.getLong("series[0].nonFinite"));
        List<Double> min = doubles(json, "series[0].min");
        List<Double> max = doubles(json, "series[0].max");
        List<Double> last = doubles(json, "series[0].last");
        assertEquals(3, min.size());
        assertNull(min.get(0));
        assertNull(max.get(0));
        assertNull(last.get(0));
        assertEquals(10.0, min.get(1));
        assertEquals(19.0, max.get(1));
        assertEquals(19.0, last.get(1));
        assertEquals(20.0, min.get(2));
        assertEquals(28.0, max.get(2));
        assertEquals(28.0, last.get(2)); // the last finite point, not the trailing NaN
        assertEquals(List.of(10L, 10L, 10L), longs(json, "series[0].count"));
    }

    @Test
    void timeAndRelativeAxesSliceTimestamps() {
        String run = newRun();
        TrackingTestData.metric(run, "t", 0, 100, s -> (double) s); // one point a second from T0
        JsonPath time = get(run, "t", "x", "time", "buckets", 4);
        assertEquals("time", time.getString("x"));
        assertEquals(TrackingTestData.T0, ((Number) time.get("series[0].from")).longValue());
        assertEquals(TrackingTestData.T0 + 99_000, ((Number) time.get("series[0].to")).longValue());
        assertEquals(TrackingTestData.T0 + 99_000, longs(time, "series[0].x").get(3));

        JsonPath rel = get(run, "t", "x", "relative", "buckets", 10, "from", 10_000, "to", 19_999);
        assertEquals(10L, rel.getLong("series[0].points"));
        assertEquals(10_000L, ((Number) rel.get("series[0].from")).longValue());
        assertEquals(10.0, doubles(rel, "series[0].min").get(0));
        assertEquals(19_000L, longs(rel, "series[0].x").get(9));
    }

    @Test
    void aZoomedRangeGetsFinerSlices() {
        String run = newRun();
        TrackingTestData.metric(run, "z", 0, 5000, s -> s == 2222 ? 9.0 : 0.0);
        JsonPath coarse = get(run, "z", "buckets", 10);
        assertEquals(10, longs(coarse, "series[0].x").size());
        JsonPath zoomed = get(run, "z", "buckets", 100, "from", 2000, "to", 2499);
        assertEquals(500L, zoomed.getLong("series[0].points"));
        assertEquals(100, longs(zoomed, "series[0].x").size());
        assertEquals(9.0, doubles(zoomed, "series[0].max").get(44)); // 2222 is in 2220..2224
        assertTrue(longs(zoomed, "series[0].x").stream().allMatch(v -> v >= 2000 && v <= 2499));
    }

    @Test
    void stepsLoggedOutOfOrderAreSlicedByStep() {
        String run = newRun();
        // timestamps increase while steps decrease: the fast step path cannot apply
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            long step = 199 - i;
            batch.append(i == 0 ? "" : ",").append("{\"key\":\"back\",\"value\":").append(step * 2.0)
                    .append(",\"timestamp\":").append(TrackingTestData.T0 + i).append(",\"step\":").append(step).append('}');
        }
        TrackingTestData.post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[" + batch + "]}");
        JsonPath json = get(run, "back", "buckets", 4);
        assertEquals(List.of(49L, 99L, 149L, 199L), longs(json, "series[0].x"));
        assertEquals(List.of(98.0, 198.0, 298.0, 398.0), doubles(json, "series[0].last"));
        assertEquals(0L, ((Number) json.get("series[0].from")).longValue());
        // a few early steps logged last: they still land in the first slice, not outside the range
        String late = newRun();
        TrackingTestData.metric(late, "m", 10, 100, v -> (double) v);
        TrackingTestData.post("runs/log-batch", "{\"run_id\":\"" + late + "\",\"metrics\":[{\"key\":\"m\",\"value\":-3,"
                + "\"timestamp\":" + (TrackingTestData.T0 + 500_000) + ",\"step\":2}]}");
        JsonPath partly = get(late, "m", "buckets", 10);
        assertEquals(2L, ((Number) partly.get("series[0].from")).longValue());
        assertEquals(-3.0, doubles(partly, "series[0].min").get(0));
        assertEquals(91L, partly.getLong("series[0].points"));
        // the same step logged twice: the later timestamp wins as "last"
        TrackingTestData.post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"back\",\"value\":-1,"
                + "\"timestamp\":" + (TrackingTestData.T0 + 10_000) + ",\"step\":199}]}");
        JsonPath again = get(run, "back", "buckets", 4);
        assertEquals(-1.0, doubles(again, "series[0].last").get(3));
        assertEquals(-1.0, doubles(again, "series[0].min").get(3));
    }

    @Test
    void severalRunsComeBackInRequestOrderAndMissingKeysAreEmpty() {
        String exp = TrackingTestData.experiment(TrackingTestData.unique("ds-multi"));
        String a = TrackingTestData.run(exp, "a", TrackingTestData.T0);
        String b = TrackingTestData.run(exp, "b", TrackingTestData.T0);
        TrackingTestData.metric(a, "k", 0, 10, s -> 1.0);
        JsonPath json = given().queryParam("key", "k").queryParam("run_id", b + "," + a).get(PATH).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(b, json.getString("series[0].runId"));
        assertEquals(0L, json.getLong("series[0].points"));
        assertNull(json.get("series[0].from"));
        assertEquals(a, json.getString("series[1].runId"));
        assertNotNull(json.get("series[1].from"));
    }

    @Test
    void invalidRequestsAreClearErrors() {
        String run = newRun();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(String.format("%032x", i));
        }
        given().queryParam("key", "k").queryParam("run_id", String.join(",", many)).get(PATH).then().statusCode(400)
                .body("message", containsString("At most 50 runs"));
        given().queryParam("key", "k").queryParam("run_id", run).queryParam("buckets", "lots").get(PATH).then()
                .statusCode(400).body("message", containsString("'buckets'"));
        given().queryParam("key", "k").queryParam("run_id", run).queryParam("buckets", 5001).get(PATH).then()
                .statusCode(400);
        given().queryParam("key", "k").queryParam("run_id", run).queryParam("from", 0)
                .queryParam("to", Long.MAX_VALUE).get(PATH).then().statusCode(400);
        TrackingTestData.metric(run, "k", 0, 3, s -> 1.0);
        given().queryParam("key", "k").queryParam("run_id", run).queryParam("from", Long.MIN_VALUE).get(PATH).then()
                .statusCode(400).body("message", containsString("Invalid range"));
        given().queryParam("key", "k").queryParam("run_id", run).queryParam("x", "time")
                .queryParam("to", Long.MAX_VALUE).get(PATH).then().statusCode(400);
        given().queryParam("key", "k").queryParam("run_id", run).queryParam("x", "relative")
                .queryParam("to", Long.MAX_VALUE).get(PATH).then().statusCode(400);
        given().queryParam("key", "k").queryParam("run_id", "no-such-run").get(PATH).then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }
}
