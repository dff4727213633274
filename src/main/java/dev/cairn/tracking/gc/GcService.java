package dev.cairn.tracking.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cairn.artifacts.ArtifactOwner;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.traces.TraceRetention;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Garbage collection like MLflow's {@code mlflow gc}: hard-deletes runs deleted longer ago than {@code older_than}
 * (with their params, tags, metric histories and inputs) and deleted experiments (with all their runs, logged models,
 * traces and datasets). Their artifact files go to the sweeper, which keeps every object a model version pins.
 * A dry run, the default, reports what would go. Deletions run in batches of their own transactions, claiming rows
 * with {@code SKIP LOCKED}, so two collections (or two replicas) share the work; each batch re-checks under its locks
 * that the rows are still deleted, so a run restored meanwhile is kept.
 */
@ApplicationScoped
public class GcService {

    private static final Logger LOG = Logger.getLogger(GcService.class);
    static final int BATCH = 500;
    /** How many ids a report lists (the counts are complete). */
    static final int LISTED = 1000;
    static final Duration DEFAULT_AGE = Duration.ofDays(30);

    @Inject AgroalDataSource dataSource;

    @Inject ArtifactService artifacts;

    @Inject TraceRetention traces;

    /** What a collection did (or, dry, would do). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Report(boolean dryRun, String olderThan, long cutoff, long runs, long experiments, long loggedModels,
                         long traces, long artifactFiles, long artifactBytes, long pinnedFilesKept,
                         List<Long> experimentIds, boolean complete) {
    }

    private record Scope(Duration olderThan, boolean dryRun, Long[] experiments, String[] runIds) {
    }

    public Report collect(JsonNode body) {
        Scope scope = scope(body);
        long cutoff = System.currentTimeMillis() - scope.olderThan().toMillis();
        Tally t = new Tally();
        if (scope.dryRun()) {
            Jdbc.run(dataSource, c -> measure(c, scope, cutoff, t));
        } else {
            deleteRuns(scope, cutoff, t);
            if (scope.runIds() == null) {
                for (Long experiment : Jdbc.call(dataSource, c -> GcRepository.deletedExperiments(c, cutoff,
                        scope.experiments(), false))) {
                    deleteExperiment(experiment, cutoff, t);
                }
            }
            LOG.infof("Garbage collection: deleted %d runs, %d experiments, %d logged models, %d traces; %d artifact "
                    + "files (%d bytes) handed to the sweeper, %d pinned by model versions kept", t.runs,
                    t.experiments.size(), t.models, t.traces, t.files, t.bytes, t.pinned);
        }
        return new Report(scope.dryRun(), scope.olderThan().toString(), cutoff, t.runs, t.experiments.size(), t.models,
                t.traces, t.files, t.bytes, t.pinned, t.experiments.subList(0, Math.min(LISTED, t.experiments.size())),
                t.experiments.size() <= LISTED);
    }

    /** The dry run: the same selection, counted in one snapshot. */
    private void measure(Connection c, Scope scope, long cutoff, Tally t) throws SQLException {
        List<Long> runs = GcRepository.deletedRuns(c, cutoff, scope.experiments(), scope.runIds(), Integer.MAX_VALUE,
                false);
        t.runs += runs.size();
        t.add(artifacts.totalsOf(ArtifactOwner.Kind.RUN, runs));
        if (scope.runIds() != null) {
            return;
        }
        for (Long e : GcRepository.deletedExperiments(c, cutoff, scope.experiments(), false)) {
            List<Long> all = GcRepository.runsOf(c, e, Integer.MAX_VALUE);
            Set<Long> counted = new java.util.HashSet<>(runs);
            List<Long> others = all.stream().filter(id -> !counted.contains(id)).toList();
            t.runs += others.size();
            t.add(artifacts.totalsOf(ArtifactOwner.Kind.RUN, others));
            List<Long> models = GcRepository.loggedModelsOf(c, e);
            t.models += models.size();
            t.add(artifacts.totalsOf(ArtifactOwner.Kind.LOGGED_MODEL, models));
            t.experiments.add(e);
        }
    }

    private void deleteRuns(Scope scope, long cutoff, Tally t) {
        int n;
        do {
            n = Jdbc.inNewTransaction(dataSource, c -> {
                List<Long> runs = GcRepository.deletedRuns(c, cutoff, scope.experiments(), scope.runIds(), BATCH, true);
                return dropRuns(c, runs, t);
            });
        } while (n == BATCH);
    }

    private void deleteExperiment(long experiment, long cutoff, Tally t) {
        boolean done = false;
        while (!done) {
            done = Jdbc.inNewTransaction(dataSource, c -> {
                if (GcRepository.deletedExperiments(c, cutoff, new Long[] {experiment}, true).isEmpty()) {
                    return true; // restored, or another collection holds it
                }
                List<Long> runs = GcRepository.runsOf(c, experiment, BATCH);
                dropRuns(c, runs, t);
                if (runs.size() == BATCH || GcRepository.runCount(c, experiment) > 0) {
                    return false; // more runs: the next batch, in its own transaction
                }
                List<Long> models = GcRepository.loggedModelsOf(c, experiment);
                t.add(artifacts.totalsOf(ArtifactOwner.Kind.LOGGED_MODEL, models));
                artifacts.releaseFilesOfDeleted(ArtifactOwner.Kind.LOGGED_MODEL, models);
                t.models += GcRepository.deleteLoggedModels(c, models.toArray(Long[]::new));
                t.traces += traces.deleteOfExperiment(c, experiment);
                GcRepository.deleteExperiment(c, experiment);
                t.experiments.add(experiment);
                return true;
            });
        }
    }

    /** Locked runs: files to the sweeper, then the rows; how many were given. */
    private int dropRuns(Connection c, List<Long> runs, Tally t) throws SQLException {
        if (runs.isEmpty()) {
            return 0;
        }
        Long[] ids = runs.toArray(Long[]::new);
        t.add(artifacts.totalsOf(ArtifactOwner.Kind.RUN, runs));
        artifacts.releaseFilesOfDeleted(ArtifactOwner.Kind.RUN, runs);
        t.runs += GcRepository.deleteRuns(c, ids);
        return runs.size();
    }

    private static Scope scope(JsonNode body) {
        if (body != null && !body.isNull() && !body.isObject()) {
            throw CairnException.invalid("The body must be a JSON object");
        }
        JsonNode b = body == null || body.isNull() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode() : body;
        b.fieldNames().forEachRemaining(f -> {
            if (!Set.of("older_than", "dry_run", "experiment_ids", "run_ids").contains(f)) {
                throw CairnException.invalid("Unknown field '" + f + "': expected older_than, dry_run, experiment_ids "
                        + "or run_ids");
            }
        });
        Duration age = DEFAULT_AGE;
        if (b.has("older_than")) {
            try {
                age = Duration.parse(b.get("older_than").asText());
            } catch (DateTimeParseException e) {
                throw CairnException.invalid("'older_than' must be an ISO-8601 duration such as P30D, got "
                        + b.get("older_than"));
            }
            if (age.isNegative()) {
                throw CairnException.invalid("'older_than' must not be negative");
            }
        }
        if (b.has("dry_run") && !b.get("dry_run").isBoolean()) {
            throw CairnException.invalid("'dry_run' must be true or false");
        }
        boolean dry = !b.has("dry_run") || b.get("dry_run").asBoolean();
        return new Scope(age, dry, experiments(b.get("experiment_ids")), strings(b.get("run_ids"), "run_ids"));
    }

    private static Long[] experiments(JsonNode node) {
        String[] ids = strings(node, "experiment_ids");
        if (ids == null) {
            return null;
        }
        Long[] out = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            try {
                out[i] = Long.parseLong(ids[i]);
            } catch (NumberFormatException e) {
                throw CairnException.invalid("'experiment_ids' holds experiment ids, got '" + ids[i] + "'");
            }
        }
        return out;
    }

    private static String[] strings(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw CairnException.invalid("'" + field + "' must be a non-empty list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual() || n.asText().isBlank()) {
                throw CairnException.invalid("'" + field + "' must be a non-empty list of strings");
            }
            out.add(n.asText());
        }
        return out.toArray(String[]::new);
    }

    /** Counts of one collection. */
    private static final class Tally {
        long runs;
        long models;
        long traces;
        long files;
        long bytes;
        long pinned;
        final List<Long> experiments = new ArrayList<>();

        void add(ArtifactService.FileTotals f) {
            files += f.count();
            bytes += f.bytes();
            pinned += f.pinned();
        }
    }
}
