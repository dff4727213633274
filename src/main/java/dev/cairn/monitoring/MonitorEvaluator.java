package dev.cairn.monitoring;

import dev.cairn.monitoring.MeasurementRepository.Aggregate;
import dev.cairn.monitoring.MonitorRepository.Row;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Candidate;
import dev.cairn.registry.Promotions.Model;
import dev.cairn.registry.Stage;
import dev.cairn.tracking.metrics.MetricValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Evaluates one monitor's rule at a time {@code now}, on the caller's connection: resolves the version holding the
 * target, then reads its measurements over the window — which starts no earlier than when that version took the
 * target, so a monitor that follows a new holder starts afresh.
 */
@ApplicationScoped
class MonitorEvaluator {

    @Inject Promotions promotions;

    @Inject MetricValues metrics;

    /** The drift feature's reads (an Instance: monitoring works, without drift rules, in a build without it). */
    @Inject jakarta.enterprise.inject.Instance<DriftSource> drift;

    /** The verdict: a state, the value behind it, the version and the evidence window. */
    record Outcome(String state, Double value, Double threshold, Integer version, Long versionSince, long windowStart,
                   long windowEnd, String detail) {
    }

    Outcome evaluate(Connection c, Model m, Row row, MonitorRule rule, long now) throws SQLException {
        Optional<Integer> holder = row.targetKind().equals("STAGE")
                ? promotions.holder(c, m.id(), Stage.parse(row.target()))
                : promotions.aliasTarget(c, m.id(), row.target());
        if (holder.isEmpty()) {
            return new Outcome("NO_DATA", null, null, null, null, now, now, "no version holds " + what(row));
        }
        int version = holder.get();
        long since = promotions.placedAt(c, m.id(), version, row.targetKind().equals("ALIAS") ? row.target() : null);
        long from = Math.max(now - rule.windowMs(), since);
        return switch (rule.kind()) {
            case "threshold" -> threshold(c, m, row, rule, version, since, from, now);
            case "relative_to_training" -> relative(c, m, row, rule, version, since, from, now);
            case "drift" -> driftOf(m, row, rule, version, since, now);
            default -> {
                long n = MeasurementRepository.countAll(c, m.id(), version, row.environment(), from, now);
                yield n == 0 ? new Outcome("NO_DATA", 0.0, null, version, since, from, now, "no measurement of version "
                        + version + " in " + row.environment() + " since " + from)
                        : new Outcome("OK", (double) n, null, version, since, from, now, n + " measurements");
            }
        };
    }

    private Outcome threshold(Connection c, Model m, Row row, MonitorRule rule, int version, long since, long from,
                              long now) throws SQLException {
        Optional<Aggregate> a = aggregate(c, m, row, rule.metric(), rule.aggregate(), version, from, now);
        if (a.isEmpty() || a.get().value() == null || (a.get().count() == 0 && !rule.aggregate().equals("count"))) {
            return new Outcome("NO_DATA", null, rule.value(), version, since, from, now, "no " + rule.metric()
                    + " measurements of version " + version + " in the window");
        }
        double v = a.get().value();
        boolean alert = MonitorRule.holds(v, rule.op(), rule.value());
        return new Outcome(alert ? "ALERT" : "OK", v, rule.value(), version, since, from, now, rule.aggregate() + "("
                + rule.metric() + ") = " + v + (alert ? " " : " not ") + rule.op() + " " + rule.value());
    }

    private Outcome relative(Connection c, Model m, Row row, MonitorRule rule, int version, long since, long from,
                             long now) throws SQLException {
        Candidate v = promotions.version(c, m, version);
        Optional<Double> training = v.loggedModelId() != null
                ? metrics.ofLoggedModel(v.loggedModelId(), rule.trainingMetric(), null) : Optional.empty();
        if (training.isEmpty() && v.runId() != null) {
            training = metrics.ofRun(v.runId(), rule.trainingMetric());
        }
        if (training.isEmpty()) {
            return new Outcome("NO_DATA", null, null, version, since, from, now, "version " + version
                    + " has no training value of " + rule.trainingMetric());
        }
        double floor = training.get() - rule.maxDrop();
        Optional<Aggregate> a = aggregate(c, m, row, rule.metric(), rule.aggregate(), version, from, now);
        if (a.isEmpty() || a.get().value() == null) {
            return new Outcome("NO_DATA", null, floor, version, since, from, now, "no " + rule.metric()
                    + " measurements of version " + version + " in the window");
        }
        double p = a.get().value();
        boolean alert = p < floor;
        return new Outcome(alert ? "ALERT" : "OK", p, floor, version, since, from, now, rule.aggregate() + "("
                + rule.metric() + ") = " + p + " against training " + rule.trainingMetric() + " = " + training.get()
                + " - " + rule.maxDrop());
    }

    private Outcome driftOf(Model m, Row row, MonitorRule rule, int version, long since, long now) {
        Optional<DriftSource.Drift> d = !drift.isResolvable() ? Optional.empty() : drift.get().drift(m.id(), version,
                row.environment(), rule.feature(), rule.statistic(), rule.windowMs(), now);
        if (d.isEmpty() || d.get().windowEnd() < since) {
            return new Outcome("NO_DATA", null, rule.value(), version, since, now - rule.windowMs(), now,
                    "no profile of " + rule.feature() + " for version " + version + " in the window");
        }
        boolean alert = MonitorRule.holds(d.get().value(), rule.op(), rule.value());
        return new Outcome(alert ? "ALERT" : "OK", d.get().value(), rule.value(), version, since,
                d.get().windowStart(), d.get().windowEnd(), rule.statistic() + "(" + rule.feature() + ") = "
                + d.get().value());
    }

    private static Optional<Aggregate> aggregate(Connection c, Model m, Row row, String metric, String aggregate,
                                                 int version, long from, long to) throws SQLException {
        Optional<Long> series = MeasurementRepository.seriesId(c, m.id(), version, row.environment(), metric);
        return series.isEmpty() ? Optional.empty()
                : Optional.of(MeasurementRepository.aggregate(c, series.get(), aggregate, from, to));
    }

    static String what(Row row) {
        return row.targetKind().equals("STAGE") ? "stage " + row.target() : "alias " + row.target();
    }
}
