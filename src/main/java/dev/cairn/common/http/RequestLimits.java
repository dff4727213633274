package dev.cairn.common.http;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request body size limits ({@code cairn.limits.*}). Artifact uploads are not bodies in this sense: they stream to
 * the store up to {@code cairn.s3.max-file-size}. A bean rather than a config mapping: JAX-RS providers are built
 * before runtime configuration exists, and reach these values through its proxy.
 */
@ApplicationScoped
public class RequestLimits {

    /** Every JSON request body (MLflow and native APIs). Env: CAIRN_LIMITS_JSON_BODY. */
    @Inject
    @ConfigProperty(name = "cairn.limits.json-body", defaultValue = "16M")
    MemorySize jsonBody;

    /** Web UI form posts (a run note is at most 8,000 characters, up to 72 KB percent-encoded). Env: CAIRN_LIMITS_FORM_BODY. */
    @Inject
    @ConfigProperty(name = "cairn.limits.form-body", defaultValue = "1M")
    MemorySize formBody;

    public long jsonBody() {
        return jsonBody.asLongValue();
    }

    public long formBody() {
        return formBody.asLongValue();
    }
}
