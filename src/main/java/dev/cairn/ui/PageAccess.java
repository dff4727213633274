package dev.cairn.ui;

import dev.cairn.access.AccessPolicy;
import dev.cairn.access.Permission;
import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import dev.cairn.registry.ModelLookup;
import dev.cairn.tracking.RunLookup;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the caller may do on a page (an {@link Allowed} handed to its template with the page model), so forms the access rules would refuse
 * are not offered: the run's note needs EDIT on its experiment, stage and alias forms EDIT on the model, removing
 * an alias and sharing MANAGE (the levels of {@code access/RouteTable}). Refusing stays the access filter's job;
 * this only hides. Local single-user mode and admins may do everything. Levels are looked up once per request.
 */
@RequestScoped
public class PageAccess {

    /** What a page may offer: edit forms (EDIT), MANAGE-only forms, and Sharing (MANAGE with authentication on). */
    @io.quarkus.qute.TemplateData
    public record Allowed(boolean edit, boolean manage, boolean share) {
        static final Allowed NOTHING = new Allowed(false, false, false);
    }

    public Allowed run(String runId) {
        Permission level = experimentLevelOfRun(runId);
        return new Allowed(level.includes(Permission.EDIT), level.includes(Permission.MANAGE),
                signedIn() && level.includes(Permission.MANAGE));
    }

    public Allowed experiment(String experimentId) {
        return new Allowed(editExperiment(experimentId), manageExperiment(experimentId),
                shareExperiment(experimentId));
    }

    public Allowed model(String name) {
        return new Allowed(editModel(name), manageModel(name), shareModel(name));
    }

    @Inject Caller caller;

    @Inject AccessPolicy policy;

    @Inject RunLookup runs;

    @Inject ModelLookup models;

    private final Map<String, Permission> levels = new HashMap<>();

    public boolean editRun(String runId) {
        return experimentLevelOfRun(runId).includes(Permission.EDIT);
    }

    public boolean editExperiment(String experimentId) {
        return experimentLevel(experimentId).includes(Permission.EDIT);
    }

    public boolean manageExperiment(String experimentId) {
        return experimentLevel(experimentId).includes(Permission.MANAGE);
    }

    /** Sharing is offered with MANAGE, and only with authentication on (local mode has nobody to share with). */
    public boolean shareExperiment(String experimentId) {
        return signedIn() && manageExperiment(experimentId);
    }

    public boolean shareModel(String name) {
        return signedIn() && manageModel(name);
    }

    public boolean editModel(String name) {
        return modelLevel(name).includes(Permission.EDIT);
    }

    public boolean manageModel(String name) {
        return modelLevel(name).includes(Permission.MANAGE);
    }

    /** The caller's level on an experiment (MANAGE in local mode and for admins; NO_PERMISSIONS signed out). */
    public Permission experimentLevel(String experimentId) {
        Principal p = caller.principal();
        if (p == null || p.admin()) {
            return p == null ? Permission.NO_PERMISSIONS : Permission.MANAGE;
        }
        Optional<Long> id = experimentId != null && experimentId.matches("\\d{1,18}")
                ? Optional.of(Long.parseLong(experimentId)) : Optional.empty();
        return levels.computeIfAbsent("e:" + experimentId, k -> id.map(i -> policy.experimentLevel(p, i))
                .orElse(Permission.NO_PERMISSIONS));
    }

    public Permission modelLevel(String name) {
        Principal p = caller.principal();
        if (p == null || p.admin()) {
            return p == null ? Permission.NO_PERMISSIONS : Permission.MANAGE;
        }
        return levels.computeIfAbsent("m:" + name, k -> models.idByName(name).map(i -> policy.modelLevel(p, i))
                .orElse(Permission.NO_PERMISSIONS));
    }

    private boolean signedIn() {
        return caller.principal() != null && !caller.principal().local();
    }

    private Permission experimentLevelOfRun(String runId) {
        Principal p = caller.principal();
        if (p == null || p.admin()) {
            return p == null ? Permission.NO_PERMISSIONS : Permission.MANAGE;
        }
        return levels.computeIfAbsent("r:" + runId, k -> runs.find(runId).map(r -> policy.experimentLevel(p,
                r.experimentId())).orElse(Permission.NO_PERMISSIONS));
    }
}
