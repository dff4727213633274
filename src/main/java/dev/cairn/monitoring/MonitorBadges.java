package dev.cairn.monitoring;

import dev.cairn.common.Jdbc;
import dev.cairn.monitoring.MonitorRepository.StateCount;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Monitor states for badges on pages that show many models or one version: each read is one statement, so a list
 * page never asks once per model.
 */
@ApplicationScoped
public class MonitorBadges {

    @Inject AgroalDataSource dataSource;

    /** A model's monitors by state; {@code worst} is ALERT, NO_DATA, PENDING or OK (in that order of concern). */
    public record Summary(int alert, int noData, int pending, int ok, int muted) {

        public String worst() {
            return alert > 0 ? "ALERT" : noData > 0 ? "NO_DATA" : pending > 0 ? "PENDING" : "OK";
        }

        /** The badge text: the worst state's count ("1 alert", "2 no data", "3 OK"). */
        public String label() {
            return switch (worst()) {
                case "ALERT" -> alert + (alert == 1 ? " alert" : " alerts");
                case "NO_DATA" -> noData + " no data";
                case "PENDING" -> pending + " pending";
                default -> ok + " OK";
            };
        }

        /** Every count, for the badge's title. */
        public String counts() {
            return alert + " alert, " + noData + " no data, " + pending + " pending, " + ok + " OK"
                    + (muted > 0 ? " (" + muted + " muted)" : "");
        }
    }

    /** A monitor watching a version, with its state. */
    public record Watch(String name, String target, String environment, String state, Double value, String detail,
                        boolean muted) {
    }

    /** The summaries of these models' monitors, by model id; models without monitors are absent. */
    public Map<Long, Summary> ofModels(Collection<Long> modelIds) {
        if (modelIds.isEmpty()) {
            return Map.of();
        }
        long now = System.currentTimeMillis();
        List<StateCount> rows = Jdbc.call(dataSource, c -> MonitorRepository.stateCounts(c,
                modelIds.stream().distinct().toArray(Long[]::new), now));
        Map<Long, int[]> counts = new HashMap<>();
        for (StateCount r : rows) {
            int[] k = counts.computeIfAbsent(r.modelId(), id -> new int[5]);
            switch (r.state()) {
                case "ALERT" -> k[0] += r.count();
                case "NO_DATA" -> k[1] += r.count();
                case "PENDING" -> k[2] += r.count();
                default -> k[3] += r.count();
            }
            k[4] += r.muted();
        }
        Map<Long, Summary> out = new HashMap<>();
        counts.forEach((id, k) -> out.put(id, new Summary(k[0], k[1], k[2], k[3], k[4])));
        return out;
    }

    /** The monitors whose latest evaluation watched this version of the model, by name. */
    public List<Watch> watching(long modelId, int version) {
        long now = System.currentTimeMillis();
        return Jdbc.call(dataSource, c -> MonitorRepository.watching(c, modelId, version)).stream()
                .map(r -> new Watch(r.name(), (r.targetKind().equals("STAGE") ? "stage " : "alias ") + r.target(),
                        r.environment(), r.state(), r.value(), r.detail(),
                        r.mutedUntil() != null && r.mutedUntil() > now))
                .toList();
    }
}
