package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.monitoring.MeasurementRepository.Point;
import dev.cairn.registry.Promotions.Model;
import dev.cairn.registry.Promotions;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Production measurements of a model version: batches from deployment tools and serving code, validated as a whole
 * (nothing stored from a refused batch) and stored idempotently, so a retried batch never double-counts.
 */
@ApplicationScoped
public class MeasurementService {

    static final int MAX_MEASUREMENTS = 1000;
    static final int MAX_NAME_LENGTH = 250;
    static final int MAX_CLIENT_ID_LENGTH = 128;
    static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    @Inject AgroalDataSource dataSource;

    @Inject MeterRegistry meters;

    @Inject Promotions promotions;

    /** What a batch did: points stored, and points already there (retries). */
    public record Stored(int stored, int duplicates) {
    }

    @Transactional
    public Stored post(String name, String version, JsonNode body) {
        int number = Promotions.versionNumber(version);
        if (body == null || !body.isObject()) {
            throw CairnException.invalid("The body must be a JSON object with 'environment' and 'measurements'");
        }
        String environment = environment(body.get("environment"));
        List<Point> points = points(body.get("measurements"));
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            promotions.version(c, m, number);
            if (points.isEmpty()) {
                return new Stored(0, 0);
            }
            Map<String, Long> series = MeasurementRepository.series(c, m.id(), number, environment,
                    points.stream().map(Point::name).toList());
            int stored = MeasurementRepository.insert(c, series, points);
            meters.counter("cairn.ingested.points", "kind", "measurement").increment(stored);
            return new Stored(stored, points.size() - stored);
        });
    }

    /** A chart's series: buckets of {@code width} ms from {@code from}. */
    public record Chart(String environment, String name, long from, long to, long width, List<ChartBucket> buckets) {
    }

    /** One bucket: its start, min, max, last value and count. */
    public record ChartBucket(long start, double min, double max, double last, long count) {
    }

    static final int MAX_BUCKETS = 5000;

    /** One measurement of a version in an environment, downsampled over [from, to] (default: the last 30 days). */
    @Transactional
    public Chart chart(String name, String version, String environment, String measurement, Long from, Long to,
                       Integer buckets) {
        int number = Promotions.versionNumber(version);
        String env = environment(environment == null ? null : com.fasterxml.jackson.databind.node.TextNode
                .valueOf(environment));
        if (measurement == null || measurement.isEmpty()) {
            throw CairnException.invalid("Missing value for required parameter 'name'");
        }
        long end = to == null ? System.currentTimeMillis() : to;
        long start = from == null ? end - java.time.Duration.ofDays(30).toMillis() : from;
        int n = buckets == null ? 500 : buckets;
        if (end <= start || n < 1 || n > MAX_BUCKETS) {
            throw CairnException.invalid("Need from < to and 1 <= buckets <= " + MAX_BUCKETS);
        }
        long width = Math.max(1, (end - start + 1 + n - 1) / n);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            promotions.version(c, m, number);
            List<ChartBucket> out = new ArrayList<>();
            java.util.Optional<Long> series = MeasurementRepository.seriesId(c, m.id(), number, env, measurement);
            if (series.isPresent()) {
                for (MeasurementRepository.Bucket b : MeasurementRepository.downsample(c, series.get(), start, end, n)) {
                    out.add(new ChartBucket(start + (end + 1 - start) * b.index() / n, b.min(), b.max(), b.last(),
                            b.count()));
                }
            }
            return new Chart(env, measurement, start, end, width, out);
        });
    }

    /** The newest measurement time of each of these versions that has any (how stale its feedback is). */
    @Transactional
    public Map<Integer, Long> lastMeasured(String name, List<Integer> versions) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            Map<Integer, Long> out = new java.util.HashMap<>();
            for (int v : versions) {
                MeasurementRepository.lastTime(c, m.id(), v).ifPresent(t -> out.put(v, t));
            }
            return out;
        });
    }

    static String environment(JsonNode n) {
        if (n == null || n.isNull()) {
            throw CairnException.invalid("Missing value for required field 'environment'");
        }
        if (!n.isTextual() || !ENVIRONMENT.matcher(n.asText()).matches()) {
            throw CairnException.invalid("'environment' must be 1-64 letters, digits, '_', '.' or '-' "
                    + "(e.g. production, staging, shadow)");
        }
        return n.asText();
    }

    private static List<Point> points(JsonNode list) {
        if (list == null || !list.isArray()) {
            throw CairnException.invalid("'measurements' must be a list");
        }
        if (list.size() > MAX_MEASUREMENTS) {
            throw CairnException.invalid("A batch holds at most " + MAX_MEASUREMENTS + " measurements, got "
                    + list.size());
        }
        long now = System.currentTimeMillis();
        List<Point> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String where = "measurements[" + i + "]";
            if (!p.isObject()) {
                throw CairnException.invalid(where + " must be an object");
            }
            JsonNode n = p.get("name");
            if (n == null || !n.isTextual() || n.asText().isEmpty() || n.asText().length() > MAX_NAME_LENGTH) {
                throw CairnException.invalid(where + ".name must be a string of 1 to " + MAX_NAME_LENGTH
                        + " characters");
            }
            JsonNode v = p.get("value");
            if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw CairnException.invalid(where + ".value must be a finite number");
            }
            JsonNode t = p.get("timestamp");
            long ts = now;
            if (t != null && !t.isNull()) {
                if (!t.isIntegralNumber() || !t.canConvertToLong() || t.asLong() < 0) {
                    throw CairnException.invalid(where + ".timestamp must be milliseconds since the epoch");
                }
                ts = t.asLong();
            }
            JsonNode id = p.get("id");
            String clientId = null;
            if (id != null && !id.isNull()) {
                if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_CLIENT_ID_LENGTH) {
                    throw CairnException.invalid(where + ".id must be a string of 1 to " + MAX_CLIENT_ID_LENGTH
                            + " characters");
                }
                clientId = id.asText();
            }
            out.add(new Point(n.asText(), v.asDouble(), ts, clientId));
        }
        return out;
    }
}
