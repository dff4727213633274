package dev.cairn.governance;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Governance settings; documented in the README's Configuration table. */
@ConfigMapping(prefix = "cairn.governance")
public interface GovernanceConfig {

    /**
     * {@code CAIRN_GOVERNANCE_DEFAULT_POLICY}: the policy (JSON, the shape {@code PUT /api/v1/models/{name}/policy}
     * takes) of every model that has none of its own; unset, such models are ungoverned.
     */
    Optional<String> defaultPolicy();
}
