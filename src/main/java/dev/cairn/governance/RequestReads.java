package dev.cairn.governance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Principal;
import dev.cairn.governance.ActivityRepository.Activity;
import dev.cairn.governance.Policy.StagePolicy;
import dev.cairn.governance.RequestRepository.Request;
import dev.cairn.governance.RequestRepository.TargetKind;
import dev.cairn.registry.ModelLookup;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Candidate;
import dev.cairn.registry.Promotions.Model;
import dev.cairn.registry.Stage;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of requests and the governance log: a model's or a version's requests, one request, the reviews waiting
 * for the caller, a version's activity, a gate preview, and the approval behind a stage or alias holder.
 */
@ApplicationScoped
public class RequestReads {

    static final int MAX_LIST = 1000;

    @Inject AgroalDataSource dataSource;

    @Inject Promotions promotions;

    @Inject PolicyService policies;

    @Inject Reviewers reviewers;

    @Inject Gates gates;

    @Inject ModelLookup models;

    @Inject Caller caller;

    @Inject ObjectMapper json;

    /** A model's requests (one version's when given), newest first; open ones only if asked. */
    @Transactional
    public List<RequestView> ofModel(String name, Integer version, boolean openOnly) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            List<RequestView> out = new ArrayList<>();
            for (Request r : RequestRepository.ofModel(c, m.id(), version, openOnly, MAX_LIST)) {
                out.add(view(c, m, r));
            }
            return out;
        });
    }

    @Transactional
    public RequestView get(String name, String id) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            Request r = RequestRepository.find(c, id).filter(x -> x.modelId() == m.id()).orElseThrow(() ->
                    CairnException.notFound("Transition request " + id + " of " + m.name() + " not found"));
            return view(c, m, r);
        });
    }

    /** Open requests the caller may approve and has not yet (never their own unless the policy allows it). */
    @Transactional
    public List<RequestView> inbox() {
        Principal p = caller.principal();
        return Jdbc.call(dataSource, c -> {
            List<RequestView> out = new ArrayList<>();
            if (p == null || !RequestRepository.anyOpen(c)) {
                return out; // the usual case, on every page's header: one index probe
            }
            for (Request r : RequestRepository.allOpen(c, MAX_LIST)) {
                Optional<String> name = models.nameById(r.modelId());
                if (name.isEmpty()) {
                    continue;
                }
                Model m = new Model(r.modelId(), name.get());
                RequestView v = view(c, m, r);
                if (v.availableActions().contains("APPROVE_TRANSITION_REQUEST")) {
                    out.add(v);
                }
            }
            return out;
        });
    }

    /** A version's governance log, oldest first. */
    @Transactional
    public List<ActivityView> activity(String name, int version) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            List<ActivityView> out = new ArrayList<>();
            for (Activity a : ActivityRepository.ofVersion(c, m.id(), version, MAX_LIST)) {
                out.add(view(a));
            }
            return out;
        });
    }

    /** The gates a move of the version into {@code stage} (or the alias) would face now; none when ungoverned. */
    @Transactional
    public List<GateResult> preview(String name, int version, String stage, String alias) {
        TransitionRequests.Target target = TransitionRequests.Target.of(stage, alias);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            Candidate v = promotions.version(c, m, version);
            Policy policy = policies.effective(c, m.id());
            Optional<StagePolicy> p = target.stage() != null ? policy.forStage(target.stage())
                    : policy.forAlias(target.alias());
            Stage gateStage = target.stage() != null ? target.stage() : policy.protectedAliases().get(target.alias());
            return p.isEmpty() || gateStage == null ? List.<GateResult>of()
                    : gates.evaluate(c, m, v, gateStage, p.get().gates());
        });
    }

    /**
     * The applied request or override that put the version where it is — in {@code stage}, or named by
     * {@code alias} — since {@code since} (when it got there); empty for a holder placed without either.
     */
    public Optional<ActivityView> placedBy(Connection c, long modelId, int version, String stage, String alias,
                                           long since) throws SQLException {
        Optional<Activity> a = ActivityRepository.placedBy(c, modelId, version, stage, alias, since);
        return a.isEmpty() ? Optional.empty() : Optional.of(view(a.get()));
    }

    /** The approvers of a request. */
    List<RequestView.Approval> approvals(Connection c, String requestId) throws SQLException {
        return RequestRepository.approvals(c, requestId).stream()
                .map(a -> new RequestView.Approval(a.approver(), a.comment(), a.time())).toList();
    }

    RequestView view(Connection c, Model m, Request r) throws SQLException {
        Policy policy = policies.effective(c, m.id());
        StagePolicy sp = Governor.forRequest(policy, r, TransitionRequests.stageOf(r));
        List<RequestView.Approval> approvals = approvals(c, r.id());
        List<String> actions = new ArrayList<>();
        Principal p = caller.principal();
        if (r.open() && p != null) {
            boolean self = Reviewers.isCreator(caller.auditName(), r.creator());
            if (reviewers.mayReview(p, m.id(), sp)) {
                boolean approved = approvals.stream().anyMatch(a -> a.user().equals(caller.auditName()));
                if ((!self || sp.allowSelfApproval()) && !approved) {
                    actions.add("APPROVE_TRANSITION_REQUEST");
                }
                actions.add("REJECT_TRANSITION_REQUEST");
            }
            if (self || p.admin()) {
                actions.add("CANCEL_TRANSITION_REQUEST");
            }
        }
        return new RequestView(r.id(), m.name(), r.version(), r.kind() == TargetKind.STAGE ? r.target() : null,
                r.kind() == TargetKind.ALIAS ? r.target() : null, r.fromStage(), r.state(), r.creator(), r.comment(),
                r.createdAt(), r.updatedAt(), sp.requiredApprovals(), approvals, gates(r.gatesJson()), r.closedBy(),
                r.closedReason(), actions);
    }

    ActivityView view(Activity a) {
        return new ActivityView(String.valueOf(a.id()), a.type(), a.comment(), a.time(), a.time(), a.fromStage(),
                a.toStage(), a.alias(), a.systemComment(), a.userId(), a.requestId(), a.version(),
                gates(a.gatesJson()));
    }

    private List<GateResult> gates(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return json.readValue(text, new TypeReference<List<GateResult>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("stored gate results are not JSON", e);
        }
    }
}
