package dev.cairn.traces;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** Trace retention ({@code CAIRN_TRACES_*}). */
@ConfigMapping(prefix = "cairn.traces")
public interface TraceConfig {

    /** {@code CAIRN_TRACES_RETENTION}: traces started longer ago are deleted with their artifacts; unset keeps all. */
    Optional<Duration> retention();
}
