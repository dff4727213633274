package dev.cairn.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A registered model row: a uniquely named model. Tags live in {@code registered_model_tags}. */
@Entity
@Table(name = "registered_models")
public class RegisteredModel {

    /** Surrogate key: tags (and later versions and aliases) reference it, so a rename is one-row. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;

    /** Never null; "" means no description (and is omitted on the wire). */
    @Column(nullable = false)
    public String description;

    @Column(name = "creation_time", nullable = false)
    public long creationTime;

    @Column(name = "last_updated_time", nullable = false)
    public long lastUpdatedTime;
}
