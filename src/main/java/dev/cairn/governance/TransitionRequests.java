package dev.cairn.governance;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Principal;
import dev.cairn.governance.Policy.StagePolicy;
import dev.cairn.governance.RequestRepository.Request;
import dev.cairn.governance.RequestRepository.TargetKind;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Candidate;
import dev.cairn.registry.Promotions.Model;
import dev.cairn.registry.Stage;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The request lifecycle: OPEN → APPLIED (by the approval that reaches the policy's count, with every gate passing,
 * in the same transaction as the move), REJECTED, CANCELLED or STALE (see {@link Governor#moved}). Every step takes
 * the model's row lock first, so concurrent approvals and direct moves queue: a request applies once, and a stage
 * never ends up with two holders.
 */
@ApplicationScoped
public class TransitionRequests {

    @Inject AgroalDataSource dataSource;

    @Inject Promotions promotions;

    @Inject PolicyService policies;

    @Inject Gates gates;

    @Inject GovernanceLog log;

    @Inject Reviewers reviewers;

    @Inject RequestReads reads;

    @Inject Caller caller;

    /** What a request targets: a stage, or an alias to point at the version. */
    public record Target(Stage stage, String alias) {

        public static Target of(String stage, String alias) {
            if ((stage == null || stage.isEmpty()) == (alias == null || alias.isEmpty())) {
                throw CairnException.invalid("A transition request names either a stage or an alias");
            }
            if (alias != null && !alias.isEmpty()) {
                Promotions.validateAlias(alias);
                return new Target(null, alias);
            }
            return new Target(Stage.parse(stage), null);
        }

        TargetKind kind() {
            return stage != null ? TargetKind.STAGE : TargetKind.ALIAS;
        }

        String key() {
            return stage != null ? stage.wire() : alias;
        }
    }

    /** A request with whether this call created it (a second create answers the open one). */
    public record Created(RequestView request, boolean created) {
    }

    /**
     * What a step did, as the log recorded it (an approval: {@code APPROVED_REQUEST}, or {@code APPLIED_TRANSITION}
     * when it moved the version), and the request after it.
     */
    public record Outcome(ActivityView activity, RequestView request) {
    }

    @Transactional
    public Created create(String name, int version, Target target, String comment, boolean archiveExisting) {
        RequestInput.comment(comment);
        return Jdbc.call(dataSource, c -> create(c, name, version, target, comment, archiveExisting,
                caller.auditName()));
    }

    /**
     * Opens a request inside the caller's transaction on behalf of {@code actor} — a monitor that alerts opens one to
     * move its degraded version out of Production. Answers the open request when there is one already.
     */
    public Created create(Connection c, String name, int version, Target target, String comment,
                          boolean archiveExisting, String actor) throws SQLException {
        Model m = promotions.lock(c, name);
        Candidate v = promotions.version(c, m, version);
        Optional<Request> open = RequestRepository.open(c, m.id(), version, target.kind(), target.key());
        if (open.isPresent()) {
            return new Created(reads.view(c, m, open.get()), false);
        }
        if (target.stage() != null && target.stage() == v.stage()) {
            throw CairnException.invalid("Version " + version + " of " + m.name() + " is already in "
                    + v.stage().wire());
        }
        if (target.alias() != null && promotions.aliasTarget(c, m.id(), target.alias())
                .filter(n -> n == version).isPresent()) {
            throw CairnException.invalid("Alias " + target.alias() + " already names version " + version);
        }
        long now = System.currentTimeMillis();
        Policy policy = policies.effective(c, m.id());
        Request draft = new Request(UUID.randomUUID().toString(), m.id(), version, target.kind(), target.key(),
                v.stage().wire(), v.manifestDigest(), "OPEN", actor, blankToNull(comment),
                archiveExisting, null, now, now, null, null);
        List<GateResult> shown = evaluate(c, m, v, policy, draft);
        Request r = new Request(draft.id(), m.id(), version, target.kind(), target.key(), draft.fromStage(),
                draft.manifestDigest(), "OPEN", draft.creator(), draft.comment(), archiveExisting,
                log.gatesJson(shown), now, now, null, null);
        RequestRepository.insert(c, r);
        log.request(c, m, r, "REQUESTED_TRANSITION", r.comment(), null, shown, "created");
        return new Created(reads.view(c, m, r), true);
    }

    /** Databricks' approve: the open request for (version, stage). */
    @Transactional
    public Outcome approve(String name, int version, Target target, boolean archiveExisting, String comment) {
        RequestInput.comment(comment);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.lock(c, name);
            return approve(c, m, openFor(c, m, version, target), archiveExisting, comment);
        });
    }

    /** The native approve of request {@code id} of model {@code name}. */
    @Transactional
    public Outcome approve(String name, String id, Boolean archiveExisting, String comment) {
        RequestInput.comment(comment);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.lock(c, name);
            Request r = openById(c, m, id);
            return approve(c, m, r, archiveExisting == null ? r.archiveExisting() : archiveExisting, comment);
        });
    }

    private Outcome approve(Connection c, Model m, Request r, boolean archiveExisting, String comment)
            throws SQLException {
        Policy policy = policies.effective(c, m.id());
        StagePolicy sp = Governor.forRequest(policy, r, stageOf(r));
        requireReviewer(m, sp);
        if (Reviewers.isCreator(caller.auditName(), r.creator()) && !sp.allowSelfApproval()) {
            throw CairnException.denied("The policy of " + m.name() + " does not allow approving your own request");
        }
        List<RequestRepository.Approval> before = RequestRepository.approvals(c, r.id());
        boolean already = before.stream().anyMatch(a -> a.approver().equals(caller.auditName()));
        int count = before.size() + (already ? 0 : 1);
        if (count < sp.requiredApprovals()) {
            if (already) {
                throw CairnException.invalid("You have already approved this request");
            }
            RequestRepository.approve(c, r.id(), caller.auditName(), blankToNull(comment), System.currentTimeMillis());
            var a = log.request(c, m, r, "APPROVED_REQUEST", blankToNull(comment), count + " of "
                    + sp.requiredApprovals() + " approvals", null, "approved");
            return new Outcome(reads.view(a), reads.view(c, m, r));
        }
        Candidate v = promotions.version(c, m, r.version());
        List<GateResult> results = evaluate(c, m, v, policy, r);
        if (!Gates.allPass(results)) {
            Jdbc.inNewTransaction(dataSource, c2 -> {
                RequestRepository.setGates(c2, r.id(), log.gatesJson(results), System.currentTimeMillis());
                log.gateFailed(c2, m, r.version(), r.fromStage(), r.kind() == TargetKind.STAGE ? r.target() : null,
                        r.kind() == TargetKind.ALIAS ? r.target() : null, r, results);
                return null;
            });
            throw CairnException.gatesFailed("Gates failed for version " + r.version() + " of " + m.name() + ": "
                    + Governor.failures(results), results);
        }
        if (!already) {
            RequestRepository.approve(c, r.id(), caller.auditName(), blankToNull(comment), System.currentTimeMillis());
            log.request(c, m, r, "APPROVED_REQUEST", blankToNull(comment), count + " of " + sp.requiredApprovals()
                    + " approvals", results, "approved");
        }
        String gatesJson = log.gatesJson(results);
        RequestRepository.close(c, r.id(), "APPLIED", caller.auditName(), "approved", gatesJson,
                System.currentTimeMillis());
        if (r.kind() == TargetKind.STAGE) {
            promotions.applyStage(c, m, r.version(), Stage.parse(r.target()), archiveExisting, r.comment(), r.id());
        } else {
            promotions.applyAlias(c, m, r.target(), r.version(), r.comment(), r.id());
        }
        Request applied = RequestRepository.find(c, r.id()).orElseThrow();
        var a = log.request(c, m, applied, "APPLIED_TRANSITION", blankToNull(comment), null, results, "applied");
        return new Outcome(reads.view(a), reads.view(c, m, applied));
    }

    @Transactional
    public Outcome reject(String name, int version, Target target, String comment) {
        RequestInput.comment(comment);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.lock(c, name);
            return reject(c, m, openFor(c, m, version, target), comment);
        });
    }

    @Transactional
    public Outcome reject(String name, String id, String comment) {
        RequestInput.comment(comment);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.lock(c, name);
            return reject(c, m, openById(c, m, id), comment);
        });
    }

    private Outcome reject(Connection c, Model m, Request r, String comment) throws SQLException {
        requireReviewer(m, Governor.forRequest(policies.effective(c, m.id()), r, stageOf(r)));
        RequestRepository.close(c, r.id(), "REJECTED", caller.auditName(), blankToNull(comment), null,
                System.currentTimeMillis());
        Request closed = RequestRepository.find(c, r.id()).orElseThrow();
        var a = log.request(c, m, closed, "REJECTED_REQUEST", blankToNull(comment), null, null, "rejected");
        return new Outcome(reads.view(a), reads.view(c, m, closed));
    }

    /** Databricks' delete: by the request's creator (who must be named as {@code creator}) or an admin. */
    @Transactional
    public Outcome cancel(String name, int version, Target target, String creator, String comment) {
        RequestInput.comment(comment);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.lock(c, name);
            Request r = openFor(c, m, version, target);
            if (creator != null && !creator.equals(r.creator())) {
                throw CairnException.notFound("No open transition request by " + creator + " to move version "
                        + version + " of " + m.name() + " to " + target.key());
            }
            return cancel(c, m, r, comment);
        });
    }

    @Transactional
    public Outcome cancel(String name, String id, String comment) {
        RequestInput.comment(comment);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.lock(c, name);
            return cancel(c, m, openById(c, m, id), comment);
        });
    }

    private Outcome cancel(Connection c, Model m, Request r, String comment) throws SQLException {
        Principal p = caller.principal();
        if (!Reviewers.isCreator(caller.auditName(), r.creator()) && (p == null || !p.admin())) {
            throw CairnException.denied("Only the creator of a request (" + r.creator() + ") or an admin may cancel it");
        }
        RequestRepository.close(c, r.id(), "CANCELLED", caller.auditName(), blankToNull(comment), null,
                System.currentTimeMillis());
        Request closed = RequestRepository.find(c, r.id()).orElseThrow();
        var a = log.request(c, m, closed, "CANCELLED_REQUEST", blankToNull(comment), null, null, "cancelled");
        return new Outcome(reads.view(a), reads.view(c, m, closed));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Gates of the request's target (none when it only leaves a governed stage). */
    private List<GateResult> evaluate(Connection c, Model m, Candidate v, Policy policy, Request r)
            throws SQLException {
        Optional<Stage> stage = stageOf(r);
        Optional<StagePolicy> into = stage.isPresent() ? policy.forStage(stage.get()) : policy.forAlias(r.target());
        Stage gateStage = stage.orElse(policy.protectedAliases().get(r.target()));
        return into.isEmpty() || gateStage == null ? List.of()
                : gates.evaluate(c, m, v, gateStage, into.get().gates());
    }

    private void requireReviewer(Model m, StagePolicy sp) {
        if (!reviewers.mayReview(caller.principal(), m.id(), sp)) {
            throw CairnException.denied("Only reviewers of " + m.name() + " (MANAGE on the model, or named in its "
                    + "policy) may approve or reject its transition requests");
        }
    }

    private static Request openFor(Connection c, Model m, int version, Target target) throws SQLException {
        return RequestRepository.open(c, m.id(), version, target.kind(), target.key()).orElseThrow(() ->
                CairnException.notFound("No open transition request to move version " + version + " of "
                        + m.name() + " to " + target.key()));
    }

    private static Request openById(Connection c, Model m, String id) throws SQLException {
        Request r = RequestRepository.find(c, id).filter(x -> x.modelId() == m.id()).orElseThrow(() ->
                CairnException.notFound("Transition request " + id + " of " + m.name() + " not found"));
        if (!r.open()) {
            throw new CairnException(ErrorCode.RESOURCE_CONFLICT, "Transition request " + id + " is " + r.state()
                    + ", not OPEN");
        }
        return r;
    }

    static Optional<Stage> stageOf(Request r) {
        return r.kind() == TargetKind.STAGE ? Optional.of(Stage.parse(r.target())) : Optional.empty();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
