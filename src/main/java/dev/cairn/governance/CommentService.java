package dev.cairn.governance;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Principal;
import dev.cairn.governance.CommentRepository.Comment;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Model;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Comments on model versions: anyone who may read the model comments; only the author edits; the author or an
 * admin deletes. Each change is also an entry of the governance log, so an edit never erases what was said.
 */
@ApplicationScoped
public class CommentService {

    @Inject AgroalDataSource dataSource;

    @Inject Promotions promotions;

    @Inject GovernanceLog log;

    @Inject Caller caller;

    @Inject dev.cairn.access.AccessPolicy access;

    @Transactional
    public CommentView create(String name, int version, String text) {
        RequestInput.requiredComment(text);
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            promotions.version(c, m, version);
            long now = System.currentTimeMillis();
            Comment x = new Comment(UUID.randomUUID().toString(), m.id(), version, caller.auditName(), text, now, now);
            CommentRepository.insert(c, x);
            log.comment(c, m, version, "NEW_COMMENT", text, x.id());
            return view(x);
        });
    }

    @Transactional
    public CommentView update(String id, String text) {
        RequestInput.requiredComment(text);
        return Jdbc.call(dataSource, c -> {
            Comment x = readable(CommentRepository.lock(c, id).orElseThrow(() -> notFound(id)));
            if (!x.userId().equals(caller.auditName())) {
                throw CairnException.denied("Only the author of a comment may edit it");
            }
            long now = System.currentTimeMillis();
            CommentRepository.update(c, id, text, now);
            log.comment(c, model(c, x), x.version(), "COMMENT_EDITED", text, id);
            return view(new Comment(id, x.modelId(), x.version(), x.userId(), text, x.createdAt(), now));
        });
    }

    @Transactional
    public void delete(String id) {
        Jdbc.run(dataSource, c -> {
            Comment x = readable(CommentRepository.lock(c, id).orElseThrow(() -> notFound(id)));
            Principal p = caller.principal();
            if (!x.userId().equals(caller.auditName()) && (p == null || !p.admin())) {
                throw CairnException.denied("Only the author of a comment or an admin may delete it");
            }
            CommentRepository.delete(c, id);
            log.comment(c, model(c, x), x.version(), "COMMENT_DELETED", x.text(), id);
        });
    }

    /**
     * The comment, if the caller may read its model: the id-only routes name no model the route table could
     * check, so the check is here (a comment on a model the caller cannot read is not found).
     */
    private Comment readable(Comment x) {
        Principal p = caller.principal();
        if (p != null && access.modelLevel(p, x.modelId()).rank() < dev.cairn.access.Permission.READ.rank()) {
            throw notFound(x.id());
        }
        return x;
    }

    @Transactional
    public List<CommentView> ofVersion(String name, int version) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, name);
            List<CommentView> out = new ArrayList<>();
            for (Comment x : CommentRepository.ofVersion(c, m.id(), version, RequestReads.MAX_LIST)) {
                out.add(view(x));
            }
            return out;
        });
    }

    private Model model(java.sql.Connection c, Comment x) throws java.sql.SQLException {
        return promotions.byId(c, x.modelId());
    }

    private CommentView view(Comment x) {
        List<String> actions = new ArrayList<>();
        Principal p = caller.principal();
        if (x.userId().equals(caller.auditName())) {
            actions.add("EDIT_COMMENT");
            actions.add("DELETE_COMMENT");
        } else if (p != null && p.admin()) {
            actions.add("DELETE_COMMENT");
        }
        return new CommentView(x.id(), x.text(), x.createdAt(), x.updatedAt(), x.userId(), actions);
    }

    private static CairnException notFound(String id) {
        return CairnException.notFound("Comment " + id + " not found");
    }
}
