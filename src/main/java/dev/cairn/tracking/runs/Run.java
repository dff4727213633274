package dev.cairn.tracking.runs;

import dev.cairn.tracking.LifecycleStage;
import dev.cairn.tracking.RunRef;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A run's attributes. Params, tags, metrics and inputs are kept in their own tables and written
 * with set-based SQL ({@link RunDataRepository}, {@link dev.cairn.tracking.metrics.MetricRepository}) for
 * concurrency safety and speed.
 */
@Entity
@Table(name = "runs")
@org.hibernate.annotations.DynamicUpdate // write only changed columns: never overwrite a concurrent change
public class Run {

    /** Internal surrogate key, used by the high-volume child tables. */
    @Id
    public long id;

    /** Public MLflow run id: 32 lowercase hex characters. */
    @Column(name = "run_uuid", nullable = false, unique = true)
    public String runUuid;

    @Column(name = "experiment_id", nullable = false)
    public long experimentId;

    @Column(nullable = false)
    public String name;

    @Column(name = "user_id")
    public String userId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RunStatus status;

    @Column(name = "start_time", nullable = false)
    public long startTime;

    @Column(name = "end_time")
    public Long endTime;

    @Column(name = "lifecycle_stage", nullable = false)
    public LifecycleStage lifecycleStage;

    @Column(name = "deleted_time")
    public Long deletedTime;

    @Column(name = "artifact_uri", nullable = false)
    public String artifactUri;

    public boolean isActive() {
        return lifecycleStage == LifecycleStage.ACTIVE;
    }

    /** The run as other features know it. */
    public RunRef ref() {
        return new RunRef(id, runUuid, experimentId, lifecycleStage, artifactUri);
    }
}
