package dev.cairn.tracking.models;

import dev.cairn.tracking.LifecycleStage;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A logged model's attributes (MLflow 3 {@code LoggedModelInfo}). Params, tags and attributed metrics live in their
 * own tables and are written with set-based SQL ({@link LoggedModelDataRepository}).
 */
@Entity
@Table(name = "logged_models")
@org.hibernate.annotations.DynamicUpdate // write only changed columns: never overwrite a concurrent change
public class LoggedModel {

    /** Internal surrogate key, used by the child tables. */
    @Id
    public long id;

    /** Public id: {@code m-} and 32 lowercase hex characters. */
    @Column(name = "model_id", nullable = false, unique = true)
    public String modelId;

    @Column(name = "experiment_id", nullable = false)
    public long experimentId;

    @Column(nullable = false)
    public String name;

    @Column(name = "model_type")
    public String modelType;

    @Column(name = "source_run_id")
    public String sourceRunId;

    @Column(name = "creator_id")
    public Long creatorId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public LoggedModelStatus status;

    @Column(name = "status_message")
    public String statusMessage;

    @Column(name = "creation_time", nullable = false)
    public long creationTime;

    @Column(name = "last_updated_time", nullable = false)
    public long lastUpdatedTime;

    @Column(name = "artifact_uri", nullable = false)
    public String artifactUri;

    @Column(name = "lifecycle_stage", nullable = false)
    public LifecycleStage lifecycleStage;

    public boolean isActive() {
        return lifecycleStage == LifecycleStage.ACTIVE;
    }
}
