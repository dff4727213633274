package dev.cairn.governance;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Principal;
import dev.cairn.governance.Policy.StagePolicy;
import dev.cairn.governance.RequestRepository.Request;
import dev.cairn.registry.MoveGuard;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Candidate;
import dev.cairn.registry.Promotions.Model;
import dev.cairn.registry.Stage;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry's {@link MoveGuard}: every direct change of a governed stage or protected alias — in or out, from
 * MLflow's routes, the native routes or the UI — needs an applied request, unless the policy asks for no approvals
 * (then its gates must pass) or an admin overrides it with a comment (recorded with the gates it skipped). After any
 * change, the open requests it made stale are closed as STALE.
 */
@ApplicationScoped
class Governor implements MoveGuard {

    @Inject PolicyService policies;

    @Inject Gates gates;

    @Inject GovernanceLog log;

    @Inject Promotions promotions;

    @Inject Caller caller;

    @Inject AgroalDataSource dataSource;

    @Inject RequestReads reads;

    /** What a change touches that a policy governs: entering {@code into} or leaving {@code outOf}. */
    private record Governed(StagePolicy policy, String what, boolean entering, Stage gateStage) {
    }

    @Override
    public void check(Connection c, Move move) throws SQLException {
        if (move.authority().requestId() != null) {
            return; // governance applies an approved request itself, after checking it
        }
        Policy policy = policies.effective(c, move.modelId());
        if (policy.stages().isEmpty() && policy.protectedAliases().isEmpty()) {
            return;
        }
        Model m = new Model(move.modelId(), move.model());
        List<Governed> governed = governed(c, m, move, policy);
        if (governed.isEmpty()) {
            return;
        }
        if (move.authority().isOverride()) {
            override(c, m, move, governed);
            return;
        }
        for (Governed g : governed) {
            if (g.policy().requiredApprovals() > 0) {
                throw CairnException.denied(needsRequest(m, move, g));
            }
        }
        for (Governed g : governed) {
            if (g.entering() && !g.policy().gates().isEmpty()) {
                Candidate v = promotions.version(c, m, move.version());
                List<GateResult> results = gates.evaluate(c, m, v, g.gateStage(), g.policy().gates());
                if (!Gates.allPass(results)) {
                    // The move rolls back; the refusal and its reasons stay in the log.
                    Jdbc.inNewTransaction(dataSource, c2 -> {
                        log.gateFailed(c2, m, move.version(), stageName(move.from()), stageName(move.to()),
                                move.alias(), null, results);
                        return null;
                    });
                    throw CairnException.gatesFailed("Gates of " + g.what() + " failed for version "
                            + move.version() + " of " + m.name() + ": " + failures(results), results);
                }
            }
        }
    }

    @Override
    public void moved(Connection c, Move move) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        Set<String> stages = new LinkedHashSet<>();
        String alias = null;
        String reason;
        switch (move.kind()) {
            case STAGE -> {
                if (move.from() == move.to() && move.archived().isEmpty()) {
                    return;
                }
                versions.add(move.version());
                versions.addAll(move.archived());
                stages.add(move.from().wire());
                stages.add(move.to().wire());
                if (!move.archived().isEmpty()) {
                    stages.add(Stage.ARCHIVED.wire());
                }
                reason = "version " + move.version() + " moved from " + move.from().wire() + " to " + move.to().wire();
            }
            case ALIAS_SET, ALIAS_DELETE -> {
                alias = move.alias();
                reason = "alias " + alias + (move.kind() == Kind.ALIAS_SET ? " moved to version " + move.version()
                        : " was removed");
            }
            case VERSION_DELETE -> {
                versions.add(move.version());
                reason = "version " + move.version() + " was deleted";
            }
            default -> {
                return; // the model's requests went with it
            }
        }
        Model m = new Model(move.modelId(), move.model());
        long now = System.currentTimeMillis();
        for (Request r : RequestRepository.markStale(c, m.id(), versions.toArray(Integer[]::new),
                stages.toArray(String[]::new), alias, move.authority().requestId(), reason, now)) {
            log.request(c, m, r, "STALE_REQUEST", null, reason, null, "stale");
        }
    }

    @Override
    public Optional<Placement> placement(Connection c, long modelId, int version, Stage stage, String alias,
                                         long since) throws SQLException {
        Optional<ActivityRepository.Activity> a = ActivityRepository.placedBy(c, modelId, version,
                stage == null ? null : stage.wire(), alias, since);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        ActivityRepository.Activity x = a.get();
        if ("OVERRIDE".equals(x.type())) {
            return Optional.of(new Placement(null, List.of(), x.userId(), x.time(), x.comment(),
                    reads.view(x).gates()));
        }
        List<String> approvers = RequestRepository.approvals(c, x.requestId()).stream()
                .map(RequestRepository.Approval::approver).toList();
        return Optional.of(new Placement(x.requestId(), approvers, x.userId(), x.time(), null, List.of()));
    }

    private void override(Connection c, Model m, Move move, List<Governed> governed) throws SQLException {
        Principal p = caller.principal();
        if (p == null || !p.admin()) {
            throw CairnException.denied("Only an admin may override the policy of " + m.name());
        }
        String comment = move.authority().override();
        if (comment == null || comment.isBlank()) {
            throw CairnException.invalid("An override needs a comment saying why");
        }
        List<GateResult> skipped = new ArrayList<>();
        for (Governed g : governed) {
            if (g.entering() && !g.policy().gates().isEmpty()) {
                skipped.addAll(gates.evaluate(c, m, promotions.version(c, m, move.version()), g.gateStage(),
                        g.policy().gates()));
            }
        }
        String what = "override: " + String.join("; ", governed.stream().map(Governed::what).toList())
                + (skipped.isEmpty() ? "" : "; gates skipped: " + describe(skipped));
        log.override(c, m, move.version(), stageName(move.from()), move.kind() == Kind.STAGE ? stageName(move.to())
                : null, move.kind() == Kind.ALIAS_SET || move.kind() == Kind.ALIAS_DELETE ? move.alias() : null,
                comment, what, skipped, move.time());
    }

    /** The governed parts of a change (none: it goes on as before policies existed). */
    private List<Governed> governed(Connection c, Model m, Move move, Policy policy) throws SQLException {
        List<Governed> out = new ArrayList<>();
        switch (move.kind()) {
            case STAGE -> {
                if (move.from() == move.to()) {
                    break;
                }
                policy.forStage(move.to()).ifPresent(p -> out.add(new Governed(p, "the move into "
                        + move.to().wire(), true, move.to())));
                policy.forStage(move.from()).ifPresent(p -> out.add(new Governed(p, "the move out of "
                        + move.from().wire(), false, move.from())));
            }
            case ALIAS_SET -> policy.forAlias(move.alias()).ifPresent(p -> out.add(new Governed(p,
                    "the protected alias " + move.alias(), true, policy.protectedAliases().get(move.alias()))));
            case ALIAS_DELETE -> policy.forAlias(move.alias()).ifPresent(p -> out.add(new Governed(p,
                    "removing the protected alias " + move.alias(), false, null)));
            case VERSION_DELETE -> {
                policy.forStage(move.from()).ifPresent(p -> out.add(new Governed(p, "deleting a version in "
                        + move.from().wire(), false, null)));
                for (String a : promotions.aliasesOf(c, m.id(), move.version())) {
                    policy.forAlias(a).ifPresent(p -> out.add(new Governed(p, "deleting the version the protected "
                            + "alias " + a + " names", false, null)));
                }
            }
            case MODEL_DELETE -> {
                for (Stage s : policy.stages().keySet()) {
                    if (promotions.holder(c, m.id(), s).isPresent()) {
                        out.add(new Governed(policy.stages().get(s), "deleting a model with a version in "
                                + s.wire(), false, null));
                    }
                }
                for (Map.Entry<String, Integer> a : promotions.aliases(c, m.id()).entrySet()) {
                    policy.forAlias(a.getKey()).ifPresent(p -> out.add(new Governed(p, "deleting a model whose "
                            + "protected alias " + a.getKey() + " is set", false, null)));
                }
            }
            default -> {
            }
        }
        return out;
    }

    private static String needsRequest(Model m, Move move, Governed g) {
        String base = "The policy of registered model " + m.name() + " governs " + g.what() + ": it needs ";
        return switch (move.kind()) {
            case STAGE -> base + "an approved transition request (POST /api/2.0/mlflow/transition-requests/create "
                    + "with name, version and stage, or POST /api/v1/models/" + m.name() + "/requests with version and "
                    + "stage)";
            case ALIAS_SET -> base + "an approved request (POST /api/v1/models/" + m.name() + "/requests with "
                    + "{\"version\": \"" + move.version() + "\", \"alias\": \"" + move.alias() + "\"})";
            default -> base + "the version to be moved out by an approved transition request first "
                    + "(POST /api/2.0/mlflow/transition-requests/create), or an admin's override";
        };
    }

    static String failures(List<GateResult> results) {
        return describe(results.stream().filter(r -> !r.passed()).toList());
    }

    private static String describe(List<GateResult> results) {
        return String.join("; ", results.stream().map(r -> r.name() + " (" + (r.passed() ? "passed" : "failed")
                + (r.value() == null ? "" : ", value " + r.value()) + ")").toList());
    }

    private static String stageName(Stage s) {
        return s == null ? null : s.wire();
    }

    /** The stage policy that decides a request: its target's when governed, else its source's, else one review. */
    static StagePolicy forRequest(Policy policy, Request r, Optional<Stage> target) {
        if (target.isPresent()) {
            Optional<StagePolicy> into = policy.forStage(target.get());
            if (into.isPresent()) {
                return into.get();
            }
            Optional<StagePolicy> outOf = policy.forStage(Stage.parse(r.fromStage()));
            return outOf.map(p -> new StagePolicy(p.requiredApprovals(), p.allowSelfApproval(), p.reviewers(),
                    List.of())).orElse(StagePolicy.REVIEW_ONLY);
        }
        return policy.forAlias(r.target()).orElse(StagePolicy.REVIEW_ONLY);
    }
}
