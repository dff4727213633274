package dev.cairn.monitoring.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.monitoring.drift.DriftRepository.Baseline;
import dev.cairn.monitoring.drift.DriftRepository.Point;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Candidate;
import dev.cairn.registry.Promotions.Model;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A version's training baseline and its production profiles: stores them and the drift of each profile's
 * features against the baseline, computed once when the profile is posted (reads and monitors never recompute).
 * Parsing and the artifact read happen outside transactions; each write is one short transaction.
 */
@ApplicationScoped
public class DriftService {

    static final int DEFAULT_SERIES = 100;
    static final int MAX_SERIES = 1_000;

    @Inject AgroalDataSource dataSource;

    @Inject Promotions promotions;

    @Inject ArtifactBaseline artifactBaseline;

    /** The version a request names. */
    record VersionRef(Model model, int version, String runId) {
    }

    /** A stored baseline with the version it belongs to. */
    record BaselineView(VersionRef version, Baseline baseline) {
    }

    /** A stored profile's drift per feature (in the order posted). */
    record ProfileDrift(VersionRef version, ProfileInput.Window window, Map<String, DriftMath.Drift> drift) {
    }

    /** A page of a drift series, and the token of the next page (null on the last). */
    record Series(List<Point> points, String nextPageToken) {
    }

    /** Replaces the version's baseline with the posted one. */
    public BaselineView putBaseline(String name, String version, JsonNode body) {
        Map<String, FeatureProfile> features = ProfileInput.baseline(body);
        return QuarkusTransaction.requiringNew().call(() -> Jdbc.call(dataSource, c -> {
            VersionRef v = resolve(c, name, version);
            DriftRepository.putBaseline(c, v.model().id(), v.version(), "posted", System.currentTimeMillis(),
                    features, true);
            return new BaselineView(v, DriftRepository.baseline(c, v.model().id(), v.version()).orElseThrow());
        }));
    }

    /** The version's baseline (read from its source run's artifact the first time, if none was posted). */
    public BaselineView baseline(String name, String version) {
        VersionRef v = Jdbc.call(dataSource, c -> resolve(c, name, version));
        return new BaselineView(v, ensureBaseline(v).orElseThrow(() -> noBaseline(v)));
    }

    /** Stores a production window's profile (replacing a previous post of the same window) and its drift. */
    public ProfileDrift postProfile(String name, String version, JsonNode body) {
        ProfileInput.Window w = ProfileInput.window(body);
        VersionRef v = Jdbc.call(dataSource, c -> resolve(c, name, version));
        Baseline baseline = ensureBaseline(v).orElseThrow(() -> noBaseline(v));
        Map<String, DriftMath.Drift> drift = new LinkedHashMap<>();
        for (Map.Entry<String, FeatureProfile> f : w.features().entrySet()) {
            FeatureProfile base = baseline.features().get(f.getKey());
            if (base == null) {
                throw CairnException.invalid("Feature '" + f.getKey() + "' is not in the baseline of version "
                        + v.version() + " of '" + v.model().name() + "' (it has " + baseline.features().keySet() + ")");
            }
            if (!base.type().equals(f.getValue().type())) {
                throw CairnException.invalid("Feature '" + f.getKey() + "' is " + base.type()
                        + " in the baseline, not " + f.getValue().type());
            }
            drift.put(f.getKey(), DriftMath.drift(base, f.getValue()));
        }
        QuarkusTransaction.requiringNew().run(() -> Jdbc.run(dataSource, c -> {
            long id = DriftRepository.upsertProfile(c, v.model().id(), v.version(), w.environment(), w.windowStart(),
                    w.windowEnd(), System.currentTimeMillis());
            DriftRepository.insertProfileFeatures(c, id, w.features(), drift);
        }));
        return new ProfileDrift(v, w, drift);
    }

    /** The version's drift series in an environment, newest window first, optionally of one feature. */
    public Series series(String name, String version, String environment, String feature, Integer maxResults,
                         String pageToken) {
        String env = ProfileInput.environment(environment == null ? "production" : environment);
        int limit = maxResults == null ? DEFAULT_SERIES : maxResults;
        if (limit < 1 || limit > MAX_SERIES) {
            throw CairnException.invalid("max_results must be between 1 and " + MAX_SERIES);
        }
        String[] after = pageToken == null || pageToken.isEmpty() ? null : decodeToken(pageToken);
        return Jdbc.call(dataSource, c -> {
            VersionRef v = resolve(c, name, version);
            List<Point> rows = DriftRepository.series(c, v.model().id(), v.version(), env,
                    feature == null || feature.isEmpty() ? null : feature, after, limit + 1);
            if (rows.size() <= limit) {
                return new Series(rows, null);
            }
            Point last = rows.get(limit - 1);
            return new Series(rows.subList(0, limit), encodeToken(last));
        });
    }

    /**
     * The stored baseline, else the source run's artifact stored as the baseline (once: a concurrent first reader
     * that stored it first wins, and both answer the stored one).
     */
    Optional<Baseline> ensureBaseline(VersionRef v) {
        Optional<Baseline> stored = Jdbc.call(dataSource, c -> DriftRepository.baseline(c, v.model().id(),
                v.version()));
        if (stored.isPresent()) {
            return stored;
        }
        Optional<Map<String, FeatureProfile>> fromArtifact = artifactBaseline.read(v.runId());
        if (fromArtifact.isEmpty()) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew().call(() -> Jdbc.call(dataSource, c -> {
            DriftRepository.putBaseline(c, v.model().id(), v.version(), "artifact", System.currentTimeMillis(),
                    fromArtifact.get(), false);
            return DriftRepository.baseline(c, v.model().id(), v.version());
        }));
    }

    private VersionRef resolve(java.sql.Connection c, String name, String version) throws java.sql.SQLException {
        int number = Promotions.versionNumber(version);
        Model m = promotions.find(c, name);
        Candidate cand = promotions.version(c, m, number);
        return new VersionRef(m, cand.version(), cand.runId());
    }

    private static CairnException noBaseline(VersionRef v) {
        return CairnException.notFound("Version " + v.version() + " of '" + v.model().name() + "' has no baseline: "
                + "PUT one to its baseline route, or log the artifact " + ArtifactBaseline.PATH + " in its source run");
    }

    private static String encodeToken(Point p) {
        String raw = p.windowEnd() + ":" + p.windowStart() + ":" + p.feature();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** {window_end, window_start, feature} of the last point of the previous page. */
    private static String[] decodeToken(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 3);
            Long.parseLong(parts[0]);
            Long.parseLong(parts[1]);
            return parts;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw CairnException.invalid("Invalid page_token");
        }
    }
}
