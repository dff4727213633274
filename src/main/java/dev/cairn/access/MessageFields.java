package dev.cairn.access;

import java.util.List;
import java.util.Optional;

/**
 * Reads fields of a request's MLflow message exactly as MLflow's routes decode it (query string for GET, JSON body
 * otherwise, {@code ""} counting as absent): implemented by the MLflow protocol feature with its own decoder, so
 * the access check and the route read the same decoded message.
 */
public interface MessageFields {

    /** A (possibly nested) scalar field; empty when absent. */
    Optional<String> string(RequestView request, String... path);

    /** A repeated string field (a single value is a one-element list). */
    List<String> strings(RequestView request, String name);

    /** {@code run_id}, or its deprecated alias {@code run_uuid}. */
    Optional<String> runId(RequestView request);
}
