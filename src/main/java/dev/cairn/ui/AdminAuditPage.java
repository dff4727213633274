package dev.cairn.ui;

import dev.cairn.identity.AuthSettings;
import dev.cairn.identity.IdentityAudit;
import dev.cairn.identity.IdentityAuditRepository;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The identity audit for admins: the most recent changes to users, groups, grants and tokens, and sign-ins. */
@PageResource
@Path("/admin/audit")
@Produces(MediaType.TEXT_HTML)
public class AdminAuditPage {

    static final int ENTRIES = 200;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(List<IdentityAuditRepository.Entry> entries, int limit);
    }

    @Inject AuthSettings settings;

    @Inject IdentityAudit audit;

    @GET
    public TemplateInstance page() {
        AdminGroupsPage.requireAuth(settings);
        return Templates.audit(audit.recent(ENTRIES), ENTRIES);
    }
}
