package dev.cairn.artifacts;

/** A stored artifact file as recorded in PostgreSQL. */
public record ArtifactFile(String path, long size, String sha256, String contentType, String objectKey,
                           long createdTime) {
}
