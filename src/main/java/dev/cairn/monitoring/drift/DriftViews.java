package dev.cairn.monitoring.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.monitoring.drift.DriftRepository.Point;
import dev.cairn.monitoring.drift.DriftService.BaselineView;
import dev.cairn.monitoring.drift.DriftService.ProfileDrift;
import dev.cairn.monitoring.drift.DriftService.Series;
import dev.cairn.monitoring.drift.FeatureProfile.Categorical;
import dev.cairn.monitoring.drift.FeatureProfile.Numeric;
import java.util.Map;

/** The JSON answers of the drift routes (snake_case, like the request bodies). */
final class DriftViews {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DriftViews() {
    }

    /** A baseline's summary: per feature its type, count and deciles (numeric) or frequencies (categorical). */
    static ObjectNode baseline(BaselineView b) {
        ObjectNode out = F.objectNode().put("model", b.version().model().name()).put("version", b.version().version())
                .put("source", b.baseline().source()).put("created_at", b.baseline().createdAt());
        ObjectNode features = out.putObject("features");
        for (Map.Entry<String, FeatureProfile> e : b.baseline().features().entrySet()) {
            ObjectNode f = features.putObject(e.getKey()).put("type", e.getValue().type())
                    .put("count", e.getValue().count());
            if (e.getValue() instanceof Numeric n) {
                ArrayNode deciles = f.putArray("deciles");
                for (double d : DriftMath.deciles(n)) {
                    deciles.add(d);
                }
                f.put("min", n.sketch().getMinItem()).put("max", n.sketch().getMaxItem())
                        .put("rank_error", n.rankError());
            } else {
                Categorical c = (Categorical) e.getValue();
                ObjectNode freq = f.putObject("frequencies");
                c.counts().forEach((k, v) -> freq.put(k, (double) v / c.count()));
            }
        }
        return out;
    }

    /** A posted profile's drift per feature. */
    static ObjectNode profile(ProfileDrift p) {
        ObjectNode out = F.objectNode().put("model", p.version().model().name()).put("version", p.version().version())
                .put("environment", p.window().environment()).put("window_start", p.window().windowStart())
                .put("window_end", p.window().windowEnd());
        ObjectNode drift = out.putObject("drift");
        p.drift().forEach((feature, d) -> {
            ObjectNode f = drift.putObject(feature).put("psi", d.psi()).put("js", d.js());
            if (d.ks() != null) {
                f.put("ks", d.ks()).put("ks_error_bound", d.ksErrorBound());
            }
        });
        return out;
    }

    /** A page of a drift series. */
    static ObjectNode series(Series s) {
        ObjectNode out = F.objectNode();
        ArrayNode points = out.putArray("series");
        for (Point p : s.points()) {
            ObjectNode o = points.addObject().put("window_start", p.windowStart()).put("window_end", p.windowEnd())
                    .put("feature", p.feature()).put("psi", p.psi()).put("js", p.js());
            if (p.ks() != null) {
                o.put("ks", p.ks()).put("ks_error_bound", p.ksErrorBound());
            }
        }
        if (s.nextPageToken() != null) {
            out.put("next_page_token", s.nextPageToken());
        }
        return out;
    }
}
