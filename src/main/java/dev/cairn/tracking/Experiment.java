package dev.cairn.tracking;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An experiment row: a named, soft-deletable group of runs. Tags live in {@code experiment_tags}. */
@Entity
@Table(name = "experiments")
public class Experiment {

    @Id
    @Column(name = "experiment_id")
    public long id;

    @Column(nullable = false)
    public String name;

    @Column(name = "artifact_location", nullable = false)
    public String artifactLocation;

    @Column(name = "lifecycle_stage", nullable = false)
    public LifecycleStage lifecycleStage;

    @Column(name = "creation_time", nullable = false)
    public long creationTime;

    @Column(name = "last_update_time", nullable = false)
    public long lastUpdateTime;

    @Column(name = "deleted_time")
    public Long deletedTime;

    public boolean isActive() {
        return lifecycleStage == LifecycleStage.ACTIVE;
    }
}
