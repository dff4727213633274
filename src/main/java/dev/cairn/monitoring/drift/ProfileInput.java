package dev.cairn.monitoring.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.monitoring.drift.FeatureProfile.Categorical;
import dev.cairn.monitoring.drift.FeatureProfile.Numeric;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict parsing of baselines and profiles: {@code {"features": {"income": {"type": "numeric", "values": [...]} |
 * {"type": "numeric", "quantiles": [...]} | {"type": "categorical", "counts": {"a": 10}}}}}, with the limits below.
 * Every refusal is a 400 naming the field.
 */
final class ProfileInput {

    static final int MAX_FEATURES = 1_000;
    static final int MAX_VALUES = 100_000;
    static final int MAX_QUANTILES = 1_000;
    static final int MAX_CATEGORIES = 10_000;
    static final int MAX_NAME = 250;
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** A production window's profile. */
    record Window(String environment, long windowStart, long windowEnd, Map<String, FeatureProfile> features) {
    }

    private ProfileInput() {
    }

    /** A baseline document: {@code features} only. */
    static Map<String, FeatureProfile> baseline(JsonNode body) {
        requireObject(body, "request body");
        onlyFields(body, "request body", Set.of("features"));
        return features(body.get("features"));
    }

    /** A profile: environment, window and features. */
    static Window window(JsonNode body) {
        requireObject(body, "request body");
        onlyFields(body, "request body", Set.of("environment", "window_start", "window_end", "features"));
        String env = environment(body.get("environment") == null || !body.get("environment").isTextual() ? null
                : body.get("environment").asText());
        long start = timestamp(body.get("window_start"), "window_start");
        long end = timestamp(body.get("window_end"), "window_end");
        if (end <= start) {
            throw CairnException.invalid("window_end must be after window_start (got " + start + " and " + end + ")");
        }
        return new Window(env, start, end, features(body.get("features")));
    }

    /** An environment name: 1 to 64 letters, digits, '_', '.' or '-'. */
    static String environment(String env) {
        if (env == null || !ENVIRONMENT.matcher(env).matches()) {
            throw CairnException.invalid("environment must be 1 to 64 letters, digits, '_', '.' or '-'");
        }
        return env;
    }

    private static long timestamp(JsonNode n, String field) {
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            throw CairnException.invalid(field + " must be a non-negative integer (milliseconds since the epoch)");
        }
        return n.asLong();
    }

    private static Map<String, FeatureProfile> features(JsonNode features) {
        if (features == null || !features.isObject() || features.isEmpty()) {
            throw CairnException.invalid("features must be a non-empty object of feature name to profile");
        }
        if (features.size() > MAX_FEATURES) {
            throw CairnException.invalid("features has " + features.size() + " entries; at most " + MAX_FEATURES);
        }
        Map<String, FeatureProfile> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = features.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            name(f.getKey(), "feature name");
            out.put(f.getKey(), feature("features." + f.getKey(), f.getValue()));
        }
        return out;
    }

    private static FeatureProfile feature(String where, JsonNode f) {
        requireObject(f, where);
        JsonNode type = f.get("type");
        if (type == null || !type.isTextual()) {
            throw CairnException.invalid(where + ".type must be 'numeric' or 'categorical'");
        }
        switch (type.asText()) {
            case "numeric" -> {
                onlyFields(f, where, Set.of("type", "values", "quantiles"));
                boolean values = f.has("values");
                if (values == f.has("quantiles")) {
                    throw CairnException.invalid(where + " needs exactly one of 'values' and 'quantiles'");
                }
                return values ? Numeric.ofValues(numbers(where + ".values", f.get("values"), 1, MAX_VALUES))
                        : Numeric.ofQuantiles(quantiles(where + ".quantiles", f.get("quantiles")));
            }
            case "categorical" -> {
                onlyFields(f, where, Set.of("type", "counts"));
                return counts(where + ".counts", f.get("counts"));
            }
            default -> throw CairnException.invalid(where + ".type must be 'numeric' or 'categorical'");
        }
    }

    private static double[] quantiles(String where, JsonNode n) {
        double[] q = numbers(where, n, 2, MAX_QUANTILES);
        for (int i = 1; i < q.length; i++) {
            if (q[i] < q[i - 1]) {
                throw CairnException.invalid(where + " must be non-decreasing (quantiles at equally spaced ranks "
                        + "from the minimum to the maximum)");
            }
        }
        return q;
    }

    private static double[] numbers(String where, JsonNode n, int min, int max) {
        if (n == null || !n.isArray() || n.size() < min || n.size() > max) {
            throw CairnException.invalid(where + " must be an array of " + min + " to " + max + " numbers");
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = n.get(i);
            double d = v.isNumber() ? v.asDouble() : Double.NaN;
            if (!Double.isFinite(d)) {
                throw CairnException.invalid(where + "[" + i + "] must be a finite number");
            }
            out[i] = d;
        }
        return out;
    }

    private static Categorical counts(String where, JsonNode n) {
        if (n == null || !n.isObject() || n.isEmpty() || n.size() > MAX_CATEGORIES) {
            throw CairnException.invalid(where + " must be an object of 1 to " + MAX_CATEGORIES
                    + " categories to counts");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            name(c.getKey(), where + " category");
            JsonNode v = c.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw CairnException.invalid(where + "." + c.getKey() + " must be a non-negative integer");
            }
            counts.put(c.getKey(), v.asLong());
            total += v.asLong();
            if (total < 0) {
                throw CairnException.invalid(where + " counts add up to more than 2^63");
            }
        }
        if (total == 0) {
            throw CairnException.invalid(where + " must count at least one value");
        }
        return Categorical.of(counts);
    }

    private static void name(String name, String what) {
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw CairnException.invalid(what + " must be 1 to " + MAX_NAME + " characters without control "
                    + "characters");
        }
    }

    private static void requireObject(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw CairnException.invalid(where + " must be a JSON object");
        }
    }

    private static void onlyFields(JsonNode n, String where, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw CairnException.invalid(where + " has an unknown field '" + f + "'; expected " + allowed);
            }
        }
    }
}
