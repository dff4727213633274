package dev.cairn.governance;

import dev.cairn.governance.Policy.Gate;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Candidate;
import dev.cairn.registry.Promotions.Model;
import dev.cairn.registry.Stage;
import dev.cairn.tracking.metrics.MetricValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates a stage's gates for a version, on the caller's connection (under the model's row lock when binding).
 * A metric is read from the version's logged model when it has one (optionally on a named dataset), else from its
 * source run; a missing value fails its gate, and so does NaN (no comparison with NaN holds).
 */
@ApplicationScoped
class Gates {

    @Inject MetricValues metrics;

    @Inject Promotions promotions;

    List<GateResult> evaluate(Connection c, Model m, Candidate v, Stage target, List<Gate> gates) throws SQLException {
        List<GateResult> out = new ArrayList<>(gates.size());
        for (Gate g : gates) {
            out.add(switch (g.type()) {
                case "metric_threshold" -> threshold(v, g);
                case "not_worse_than_current" -> notWorse(c, m, v, target, g);
                case "required_tag" -> tag(v, g);
                default -> file(v, g);
            });
        }
        return out;
    }

    static boolean allPass(List<GateResult> results) {
        return results.stream().allMatch(GateResult::passed);
    }

    private GateResult threshold(Candidate v, Gate g) {
        String name = g.metric() + on(g) + " " + g.op() + " " + num(g.value());
        Optional<Double> value = metric(v, g);
        if (value.isEmpty()) {
            return new GateResult(name, g.type(), null, g.value(), false, "version " + v.version()
                    + " has no value of " + g.metric() + on(g));
        }
        return new GateResult(name, g.type(), value.get(), g.value(), compare(value.get(), g.op(), g.value()), null);
    }

    private GateResult notWorse(Connection c, Model m, Candidate v, Stage target, Gate g) throws SQLException {
        String name = g.metric() + on(g) + (g.higherIsBetter() ? " >= " : " <= ") + "current " + target.wire();
        Optional<Double> value = metric(v, g);
        Optional<Integer> holder = promotions.holder(c, m.id(), target).filter(h -> h != v.version());
        if (holder.isEmpty()) {
            return new GateResult(name, g.type(), value.orElse(null), null, value.isPresent(), value.isPresent()
                    ? "no version is in " + target.wire() + " to compare with"
                    : "version " + v.version() + " has no value of " + g.metric() + on(g));
        }
        Optional<Double> current = promotions.findVersion(c, m, holder.get()).flatMap(h -> metric(h, g));
        if (value.isEmpty()) {
            return new GateResult(name, g.type(), null, current.orElse(null), false, "version " + v.version()
                    + " has no value of " + g.metric() + on(g));
        }
        if (current.isEmpty()) {
            return new GateResult(name, g.type(), value.get(), null, true, "version " + holder.get() + " in "
                    + target.wire() + " has no value of " + g.metric() + on(g) + " to compare with");
        }
        boolean passed = g.higherIsBetter() ? value.get() >= current.get() : value.get() <= current.get();
        return new GateResult(name, g.type(), value.get(), current.get(), passed, "compared with version "
                + holder.get() + " in " + target.wire());
    }

    private static GateResult tag(Candidate v, Gate g) {
        String name = "tag " + g.key() + (g.tagValue() == null ? " set" : " = " + g.tagValue());
        String actual = v.tags().get(g.key());
        boolean passed = actual != null && (g.tagValue() == null || g.tagValue().equals(actual));
        return new GateResult(name, g.type(), actual, g.tagValue(), passed, actual == null ? "version "
                + v.version() + " has no tag " + g.key() : null);
    }

    private static GateResult file(Candidate v, Gate g) {
        boolean present = v.files().contains(g.path());
        return new GateResult("file " + g.path(), g.type(), present, g.path(), present, present ? null
                : "the pinned manifest of version " + v.version() + " has no file " + g.path());
    }

    private Optional<Double> metric(Candidate v, Gate g) {
        if (v.loggedModelId() != null) {
            Optional<Double> fromModel = metrics.ofLoggedModel(v.loggedModelId(), g.metric(), g.dataset());
            if (fromModel.isPresent() || g.dataset() != null) {
                return fromModel;
            }
        }
        return v.runId() == null || g.dataset() != null ? Optional.empty() : metrics.ofRun(v.runId(), g.metric());
    }

    static boolean compare(double value, String op, double threshold) {
        return switch (op) {
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            case "<" -> value < threshold;
            case "<=" -> value <= threshold;
            case "==" -> value == threshold;
            default -> value != threshold && !Double.isNaN(value);
        };
    }

    private static String on(Gate g) {
        return g.dataset() == null ? "" : " on " + g.dataset();
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
