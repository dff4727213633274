package dev.cairn.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Jdbc;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Model;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Models' promotion policies: a model's own, else the server default ({@code CAIRN_GOVERNANCE_DEFAULT_POLICY}),
 * else none. Changing one is recorded in the governance log with the whole new document.
 */
@ApplicationScoped
public class PolicyService {

    private static final Logger LOG = Logger.getLogger(PolicyService.class);

    @Inject AgroalDataSource dataSource;

    @Inject Promotions promotions;

    @Inject GovernanceConfig config;

    @Inject GovernanceLog log;

    @Inject Caller caller;

    @Inject ObjectMapper json;

    private volatile Policy serverDefault;

    /** A model's effective policy and where it comes from: {@code model}, {@code default} or {@code none}. */
    public record PolicyView(Policy policy, String source, String updatedBy, Long updatedAt) {

        public ObjectNode toJson() {
            ObjectNode out = policy.toJson();
            out.put("source", source);
            if (updatedBy != null) {
                out.put("updated_by", updatedBy).put("updated_at", updatedAt);
            }
            return out;
        }
    }

    /** An invalid default policy stops the server at start, not at the first promotion. */
    void onStart(@Observes StartupEvent event) {
        try {
            defaultPolicy();
        } catch (RuntimeException e) {
            String message = "Refusing to start: CAIRN_GOVERNANCE_DEFAULT_POLICY is not a valid policy: "
                    + e.getMessage();
            LOG.error(message);
            throw new IllegalStateException(message);
        }
    }

    @Transactional
    public PolicyView get(String name) {
        return Jdbc.call(dataSource, c -> view(c, promotions.find(c, name)));
    }

    @Transactional
    public PolicyView put(String name, JsonNode document) {
        Policy policy = Policy.parse(document);
        String text = policy.toJson().toString();
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.lock(c, name);
            long now = System.currentTimeMillis();
            PolicyRepository.put(c, m.id(), text, caller.auditName(), now);
            log.policyChanged(c, m, text);
            return view(c, m);
        });
    }

    /** Drops the model's own policy: the server default (if any) applies again. */
    @Transactional
    public PolicyView reset(String name) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.lock(c, name);
            if (PolicyRepository.delete(c, m.id())) {
                log.policyChanged(c, m, null);
            }
            return view(c, m);
        });
    }

    /** The policy that governs the model now, on the caller's connection. */
    Policy effective(Connection c, long modelId) throws SQLException {
        Optional<PolicyRepository.Stored> own = PolicyRepository.find(c, modelId);
        return own.isPresent() ? parseStored(own.get().json()) : defaultPolicy().orElse(Policy.NONE);
    }

    private PolicyView view(Connection c, Model m) throws SQLException {
        Optional<PolicyRepository.Stored> own = PolicyRepository.find(c, m.id());
        if (own.isPresent()) {
            return new PolicyView(parseStored(own.get().json()), "model", own.get().updatedBy(),
                    own.get().updatedAt());
        }
        Optional<Policy> d = defaultPolicy();
        return new PolicyView(d.orElse(Policy.NONE), d.isPresent() ? "default" : "none", null, null);
    }

    private Policy parseStored(String text) {
        try {
            return Policy.parse(json.readTree(text));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored policy is not JSON", e);
        }
    }

    private Optional<Policy> defaultPolicy() {
        Optional<String> text = config.defaultPolicy().filter(s -> !s.isBlank());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Policy p = serverDefault;
        if (p == null) {
            try {
                p = Policy.parse(json.readTree(text.get()));
            } catch (java.io.IOException e) {
                throw CairnException.invalid("not JSON");
            }
            serverDefault = p;
        }
        return Optional.of(p);
    }
}
