package dev.cairn.access;

import dev.cairn.access.GrantRepository.Grant;
import dev.cairn.access.GrantRepository.Resource;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.identity.GroupService;
import dev.cairn.identity.IdentityAudit;
import dev.cairn.identity.IdentityAudit.Action;
import dev.cairn.identity.User;
import dev.cairn.identity.UserService;
import dev.cairn.registry.ModelLookup;
import dev.cairn.tracking.ExperimentLookup;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grants on experiments and registered models, to users (MLflow's permission routes) and to groups (Cairn's,
 * where a principal is written {@code group:<name>}). Every change is audited with who made it.
 */
@ApplicationScoped
public class PermissionService {

    public static final String GROUP_PREFIX = "group:";

    /** One grant as the API shows it. */
    public record GrantView(String resourceId, String principal, Long userId, Permission permission) {
    }

    @Inject AgroalDataSource dataSource;

    @Inject UserService users;

    @Inject GroupService groups;

    @Inject ExperimentLookup experiments;

    @Inject ModelLookup models;

    @Inject IdentityAudit audit;

    // ---- MLflow's user permission routes ----------------------------------------------------------

    @Transactional
    public GrantView createExperimentGrant(String actor, String experimentId, String username, String permission) {
        return create(actor, Resource.EXPERIMENT, experiment(experimentId), experimentId, username, permission);
    }

    public GrantView getExperimentGrant(String experimentId, String username) {
        return get(Resource.EXPERIMENT, experiment(experimentId), experimentId, username);
    }

    @Transactional
    public void updateExperimentGrant(String actor, String experimentId, String username, String permission) {
        update(actor, Resource.EXPERIMENT, experiment(experimentId), experimentId, username, permission);
    }

    @Transactional
    public void deleteExperimentGrant(String actor, String experimentId, String username) {
        delete(actor, Resource.EXPERIMENT, experiment(experimentId), experimentId, username);
    }

    @Transactional
    public GrantView createModelGrant(String actor, String name, String username, String permission) {
        return create(actor, Resource.MODEL, model(name), name, username, permission);
    }

    public GrantView getModelGrant(String name, String username) {
        return get(Resource.MODEL, model(name), name, username);
    }

    @Transactional
    public void updateModelGrant(String actor, String name, String username, String permission) {
        update(actor, Resource.MODEL, model(name), name, username, permission);
    }

    @Transactional
    public void deleteModelGrant(String actor, String name, String username) {
        delete(actor, Resource.MODEL, model(name), name, username);
    }

    /** A user's own grants, as MLflow's User object lists them: (experiment id or model name, level). */
    public List<GrantView> grantsOf(User user, boolean onModels) {
        Resource r = onModels ? Resource.MODEL : Resource.EXPERIMENT;
        List<GrantView> out = new ArrayList<>();
        for (Grant g : Jdbc.call(dataSource, c -> GrantRepository.ofUser(c, r, user.id()))) {
            String id = onModels ? models.nameById(g.resourceId()).orElse(null) : Long.toString(g.resourceId());
            if (id != null) {
                out.add(new GrantView(id, user.username(), user.id(), Permission.ofRank(g.level())));
            }
        }
        return out;
    }

    // ---- Cairn's grants for users and groups (the sharing dialogs) ----------------------------------

    /** Sets (creates or changes) the grant of a user or {@code group:<name>} on an experiment. */
    @Transactional
    public void setExperimentGrant(String actor, long experimentId, String principal, Permission level) {
        requireExperiment(experimentId);
        set(actor, Resource.EXPERIMENT, experimentId, "experiment " + experimentId, principal, level);
    }

    @Transactional
    public void removeExperimentGrant(String actor, long experimentId, String principal) {
        requireExperiment(experimentId);
        remove(actor, Resource.EXPERIMENT, experimentId, "experiment " + experimentId, principal);
    }

    public List<GrantView> experimentGrants(long experimentId) {
        requireExperiment(experimentId);
        return list(Resource.EXPERIMENT, experimentId, Long.toString(experimentId));
    }

    @Transactional
    public void setModelGrant(String actor, String name, String principal, Permission level) {
        set(actor, Resource.MODEL, model(name), "model " + name, principal, level);
    }

    @Transactional
    public void removeModelGrant(String actor, String name, String principal) {
        remove(actor, Resource.MODEL, model(name), "model " + name, principal);
    }

    public List<GrantView> modelGrants(String name) {
        return list(Resource.MODEL, model(name), name);
    }

    // ---- shared ------------------------------------------------------------------------------------

    private GrantView create(String actor, Resource r, long id, String label, String username, String permission) {
        User user = users.get(username);
        Permission level = Permission.parse(required("permission", permission));
        if (!Jdbc.call(dataSource, c -> GrantRepository.insertUser(c, r, id, user.id(), level.rank()))) {
            throw CairnException.alreadyExists(noun(r) + " permission (" + key(r) + "=" + label + ", username="
                    + username + ") already exists.");
        }
        audit.record(actor, Action.GRANT_SET, username, noun(r) + " " + label + ": " + level, null);
        return new GrantView(label, username, user.id(), level);
    }

    private GrantView get(Resource r, long id, String label, String username) {
        User user = users.get(username);
        int level = Jdbc.call(dataSource, c -> GrantRepository.userGrant(c, r, id, user.id()))
                .orElseThrow(() -> grantNotFound(r, label, username));
        return new GrantView(label, username, user.id(), Permission.ofRank(level));
    }

    private void update(String actor, Resource r, long id, String label, String username, String permission) {
        User user = users.get(username);
        Permission level = Permission.parse(required("permission", permission));
        if (Jdbc.call(dataSource, c -> GrantRepository.updateUser(c, r, id, user.id(), level.rank())) == 0) {
            throw grantNotFound(r, label, username);
        }
        audit.record(actor, Action.GRANT_SET, username, noun(r) + " " + label + ": " + level, null);
    }

    private void delete(String actor, Resource r, long id, String label, String username) {
        User user = users.get(username);
        if (Jdbc.call(dataSource, c -> GrantRepository.deleteUser(c, r, id, user.id())) == 0) {
            throw grantNotFound(r, label, username);
        }
        audit.record(actor, Action.GRANT_DELETED, username, noun(r) + " " + label, null);
    }

    private void set(String actor, Resource r, long id, String label, String principal, Permission level) {
        Optional<Long> group = groupOf(principal);
        Jdbc.run(dataSource, c -> {
            if (group.isPresent()) {
                GrantRepository.upsertGroup(c, r, id, group.get(), level.rank());
            } else {
                long userId = users.get(principal).id();
                if (!GrantRepository.insertUser(c, r, id, userId, level.rank())) {
                    GrantRepository.updateUser(c, r, id, userId, level.rank());
                }
            }
        });
        audit.record(actor, Action.GRANT_SET, principal, label + ": " + level, null);
    }

    private void remove(String actor, Resource r, long id, String label, String principal) {
        Optional<Long> group = groupOf(principal);
        int removed = Jdbc.call(dataSource, c -> group.isPresent()
                ? GrantRepository.deleteGroup(c, r, id, group.get())
                : GrantRepository.deleteUser(c, r, id, users.get(principal).id()));
        if (removed == 0) {
            throw CairnException.notFound("No grant for " + principal + " on " + label);
        }
        audit.record(actor, Action.GRANT_DELETED, principal, label, null);
    }

    private List<GrantView> list(Resource r, long id, String label) {
        return Jdbc.call(dataSource, c -> GrantRepository.onResource(c, r, id)).stream()
                .map(g -> new GrantView(label, g.principal(), g.userId(), Permission.ofRank(g.level()))).toList();
    }

    private Optional<Long> groupOf(String principal) {
        if (principal == null || !principal.startsWith(GROUP_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(groups.require(principal.substring(GROUP_PREFIX.length())));
    }

    private long experiment(String experimentId) {
        String id = required("experiment_id", experimentId);
        long parsed;
        try {
            parsed = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw CairnException.invalid("Invalid value " + id + " for parameter 'experiment_id' supplied.");
        }
        requireExperiment(parsed);
        return parsed;
    }

    private void requireExperiment(long id) {
        if (!experiments.exists(id)) {
            throw CairnException.notFound("No Experiment with id=" + id + " exists");
        }
    }

    private long model(String name) {
        String n = required("name", name);
        return models.idByName(n).orElseThrow(() -> CairnException.notFound("Registered Model with name=" + n
                + " not found"));
    }

    private static String required(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw CairnException.invalid("Missing value for required parameter '" + field + "'.");
        }
        return value;
    }

    private static String noun(Resource r) {
        return r == Resource.EXPERIMENT ? "Experiment" : "Registered model";
    }

    private static String key(Resource r) {
        return r == Resource.EXPERIMENT ? "experiment_id" : "name";
    }

    private static CairnException grantNotFound(Resource r, String label, String username) {
        return CairnException.notFound(noun(r) + " permission with " + key(r) + "=" + label + " and username="
                + username + " not found");
    }
}
