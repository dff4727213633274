package dev.cairn.access;

import dev.cairn.access.GrantRepository.Resource;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Principal;
import dev.cairn.identity.AuthSettings;
import dev.cairn.registry.ModelLookup;
import dev.cairn.traces.TraceLookup;
import dev.cairn.tracking.ExperimentLookup;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.models.LoggedModelLookup;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * A principal's effective level on an experiment or a registered model: admins have MANAGE everywhere; others have
 * the highest of their own and their groups' grants, or the server default ({@code CAIRN_DEFAULT_PERMISSION}) where
 * they have none. Runs, logged models and traces take their experiment's level; versions and aliases their model's.
 */
@ApplicationScoped
public class AccessPolicy {

    /** A target resolved to the resource whose grants decide. */
    record Resolved(Resource resource, long id, String label) {
    }

    @Inject AgroalDataSource dataSource;

    @Inject AuthSettings settings;

    @Inject RunLookup runs;

    @Inject LoggedModelLookup loggedModels;

    @Inject TraceLookup traces;

    @Inject ExperimentLookup experiments;

    @Inject ModelLookup models;

    public Permission experimentLevel(Principal p, long experimentId) {
        return level(p, Resource.EXPERIMENT, experimentId);
    }

    public Permission modelLevel(Principal p, long modelId) {
        return level(p, Resource.MODEL, modelId);
    }

    Permission level(Principal p, Resource resource, long id) {
        if (p.admin()) {
            return Permission.MANAGE;
        }
        int fallback = settings.defaultPermission().rank();
        return Permission.ofRank(Jdbc.call(dataSource, c -> GrantRepository.level(c, resource, id, p.userId(),
                p.groupIds().toArray(Long[]::new), fallback)));
    }

    /**
     * The resource a target names; empty when it names nothing that exists (the route then answers its own
     * 404 or 400, exactly as without authentication).
     */
    Optional<Resolved> resolve(Target t) {
        return switch (t.kind()) {
            case EXPERIMENT -> parseId(t.id()).filter(experiments::exists)
                    .map(id -> new Resolved(Resource.EXPERIMENT, id, "experiment " + id));
            case EXPERIMENT_NAME -> experiments.idByName(t.id())
                    .map(id -> new Resolved(Resource.EXPERIMENT, id, "experiment " + id));
            case RUN -> runs.find(t.id())
                    .map(r -> new Resolved(Resource.EXPERIMENT, r.experimentId(), "experiment " + r.experimentId()));
            case LOGGED_MODEL -> loggedModels.find(t.id())
                    .map(m -> new Resolved(Resource.EXPERIMENT, m.experimentId(), "experiment " + m.experimentId()));
            case TRACE -> traces.find(t.id())
                    .map(tr -> new Resolved(Resource.EXPERIMENT, tr.experimentId(), "experiment "
                            + tr.experimentId()));
            case MODEL -> models.idByName(t.id()).map(id -> new Resolved(Resource.MODEL, id, "model '" + t.id()
                    + "'"));
            case MODEL_ID -> parseId(t.id()).map(id -> new Resolved(Resource.MODEL, id, "this model"));
        };
    }

    private static Optional<Long> parseId(String s) {
        if (s == null || !s.matches("-?\\d{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(s));
    }
}
