package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import dev.cairn.governance.ActivityView;
import dev.cairn.governance.CommentService;
import dev.cairn.governance.CommentView;
import dev.cairn.governance.GateResult;
import dev.cairn.governance.RequestReads;
import dev.cairn.governance.RequestView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The version page's Promotion section, read from the governance services: the version's transition requests
 * (open first) with their gate checklists and the caller's actions, a gate preview for a chosen stage, the gates of
 * a refused approval, the comments thread and the governance log. Also the rows of the reviews inbox.
 */
@ApplicationScoped
public class PromotionPageModel {

    /** The stages a request may target (None is where versions start, never a request's target). */
    static final List<String> TARGETS = List.of("Staging", "Production", "Archived");

    /** One gate's line of a checklist; {@code value} and {@code threshold} as text ("—" when absent). */
    public record GateRow(boolean passed, String name, String type, String value, String threshold, String detail) {
    }

    /** A request as the page shows it, with what the caller may do. */
    public record RequestRow(String id, String target, String fromStage, String state, String stateCss,
                             String creator, String comment, Long created, int approvals, int requiredApprovals,
                             List<String> approvers, List<GateRow> gates, boolean open, boolean canApprove,
                             boolean canReject, boolean canCancel, String actionUrl, String versionUrl,
                             String model, int version, String closedBy, String closedReason) {
    }

    public record CommentRow(String id, String author, String text, Long time, boolean canDelete) {
    }

    public record ActivityRow(Long time, String type, String user, String from, String to, String alias,
                              String comment, String systemComment) {
    }

    /**
     * The Promotion section: {@code previewStage} with its {@code preview} gates (null: no preview asked),
     * {@code refusedGates} the gates of a refused approval (empty otherwise), {@code admin} whether the override
     * checkbox is offered on the direct-move forms.
     */
    public record PromotionView(List<RequestRow> requests, List<String> targets, String previewStage,
                                List<GateRow> preview, List<GateRow> refusedGates, List<CommentRow> comments,
                                List<ActivityRow> activity, boolean admin, boolean canComment) {
    }

    /** The reviews inbox. */
    public record ReviewsView(List<RequestRow> requests, String csrf, String error) {
    }

    @Inject RequestReads reads;

    @Inject CommentService comments;

    @Inject Caller caller;

    @Inject Csrf csrf;

    /** The Promotion section of version {@code version} of model {@code name}. */
    public PromotionView of(String name, int version, String previewStage, List<?> refusedGates) {
        List<RequestRow> rows = new ArrayList<>();
        for (RequestView r : reads.ofModel(name, version, false)) {
            rows.add(row(r));
        }
        // open first, then closed; newest first within each (the service answers newest first)
        rows.sort(Comparator.comparing(r -> !r.open()));
        List<GateRow> preview = null;
        String stage = previewStage == null || previewStage.isBlank() ? null : previewStage.strip();
        if (stage != null) {
            preview = gates(reads.preview(name, version, stage, null));
        }
        List<CommentRow> thread = comments.ofVersion(name, version).stream().map(PromotionPageModel::comment).toList();
        List<ActivityRow> log = reads.activity(name, version).stream().map(PromotionPageModel::activity).toList();
        Principal p = caller.principal();
        return new PromotionView(rows, TARGETS, stage, preview, refused(refusedGates), thread, log,
                p != null && p.admin(), p != null);
    }

    /** The open requests waiting for the caller, with {@code error} above them (else null). */
    public ReviewsView reviews(String error) {
        return new ReviewsView(reads.inbox().stream().map(PromotionPageModel::row).toList(), csrf.token(), error);
    }

    /** The gates a GATE_FAILED refusal carried (the service's {@link GateResult}s). */
    static List<GateRow> refused(List<?> gates) {
        if (gates == null) {
            return List.of();
        }
        List<GateRow> out = new ArrayList<>();
        for (Object g : gates) {
            if (g instanceof GateResult r) {
                out.add(gate(r));
            }
        }
        return out;
    }

    static RequestRow row(RequestView r) {
        List<String> actions = r.availableActions();
        boolean open = "OPEN".equals(r.state());
        String target = r.stage() != null ? r.stage() : "@" + r.alias();
        String base = RegistryPageModel.modelUrl(r.model());
        return new RequestRow(r.id(), target, r.fromStage(), r.state(), r.state().toLowerCase(Locale.ROOT),
                r.creator(), r.comment(), r.createdAt(), r.approvals().size(), r.requiredApprovals(),
                r.approvals().stream().map(RequestView.Approval::user).toList(), gates(r.gates()), open,
                open && actions.contains("APPROVE_TRANSITION_REQUEST"),
                open && actions.contains("REJECT_TRANSITION_REQUEST"),
                open && actions.contains("CANCEL_TRANSITION_REQUEST"),
                base + "/requests/" + Links.encodePath(r.id()), RegistryPageModel.versionUrl(r.model(), r.version()),
                r.model(), r.version(), r.closedBy(), r.closedReason());
    }

    static List<GateRow> gates(List<GateResult> results) {
        return results == null ? List.of() : results.stream().map(PromotionPageModel::gate).toList();
    }

    private static GateRow gate(GateResult g) {
        return new GateRow(g.passed(), g.name() == null ? g.type() : g.name(), g.type(), text(g.value()),
                text(g.threshold()), g.detail());
    }

    private static String text(Object v) {
        if (v == null) {
            return "—";
        }
        if (v instanceof Double d) {
            return Formats.metric(d);
        }
        return String.valueOf(v);
    }

    private static CommentRow comment(CommentView c) {
        return new CommentRow(c.id(), c.userId(), c.comment(), c.creationTimestamp(),
                c.availableActions().contains("DELETE_COMMENT"));
    }

    private static ActivityRow activity(ActivityView a) {
        return new ActivityRow(a.creationTimestamp(), label(a.activityType()), a.userId(), a.fromStage(), a.toStage(),
                a.alias(), a.comment(), a.systemComment());
    }

    /** {@code APPLIED_TRANSITION} → "Applied transition". */
    static String label(String type) {
        if (type == null || type.isEmpty()) {
            return "";
        }
        String words = type.replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** A request id or comment id from a form: a short opaque token, refused otherwise. */
    static String id(String raw) {
        String s = raw == null ? "" : raw.strip();
        if (!s.matches("[A-Za-z0-9_-]{1,64}")) {
            throw CairnException.invalid("Not a valid id");
        }
        return s;
    }
}
