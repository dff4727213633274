package dev.cairn.tracking.runs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a log-batch request's time goes, as {@code cairn_ingest_phase_seconds{phase}} on {@code /q/metrics}: parse,
 * validate, run (lookup and lock), series (the upsert of the series rows), insert (the points' COPY), attribute
 * (MLflow 3: the models' lookup, the attributions' upsert and their points' COPY), commit. The benchmark reads it to
 * break one request's cost down.
 */
@ApplicationScoped
public class IngestPhases {

    @Inject MeterRegistry registry;

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public void record(String phase, long nanos) {
        timers.computeIfAbsent(phase, p -> Timer.builder("cairn.ingest.phase").tag("phase", p)
                .description("Time per log-batch request spent in each phase").register(registry))
                .record(Duration.ofNanos(nanos));
    }
}
