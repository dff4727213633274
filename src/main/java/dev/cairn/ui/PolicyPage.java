package dev.cairn.ui;

import static dev.cairn.ui.RegistryPages.act;
import static dev.cairn.ui.RegistryPages.checked;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.governance.PolicyService;
import dev.cairn.governance.PolicyService.PolicyView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A model's promotion policy as a form (MANAGE): per stage, whether it is governed, the approvals it needs, self
 * approval, reviewers (comma-separated) and gates (one JSON object a line, as the policy document holds them); and
 * protected aliases (alias → stage rows). Saving builds the policy document and hands it to {@link PolicyService},
 * whose validation errors re-render the form with what was typed; reset drops the model's own policy.
 */
@PageResource
@Path("/models/{name}/policy")
@Produces(MediaType.TEXT_HTML)
public class PolicyPage {

    /** The stages a policy may govern, in the form's order (None never is: every version starts there). */
    static final List<String> STAGES = List.of("Staging", "Production", "Archived");

    /** Blank alias rows offered below the existing ones. */
    static final int SPARE_ALIAS_ROWS = 2;

    public record StageRow(String stage, String key, boolean governed, String approvals, boolean self,
                           String reviewers, String gates) {
    }

    public record AliasRow(String alias, String stage) {
    }

    /** The form; {@code source} is where the effective policy comes from (model, default or none). */
    public record PolicyForm(String name, String modelUrl, String url, String source, String updatedBy,
                             Long updatedAt, List<StageRow> stages, List<AliasRow> aliases, List<String> stageNames,
                             String csrf, String error) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance policy(PolicyForm view);
    }

    /** The posted form, one field group per stage ({@code production_approvals}, …) and the alias rows. */
    public static class Fields {
        @FormParam("staging_governed") public String stagingGoverned;
        @FormParam("staging_approvals") public String stagingApprovals;
        @FormParam("staging_self") public String stagingSelf;
        @FormParam("staging_reviewers") public String stagingReviewers;
        @FormParam("staging_gates") public String stagingGates;
        @FormParam("production_governed") public String productionGoverned;
        @FormParam("production_approvals") public String productionApprovals;
        @FormParam("production_self") public String productionSelf;
        @FormParam("production_reviewers") public String productionReviewers;
        @FormParam("production_gates") public String productionGates;
        @FormParam("archived_governed") public String archivedGoverned;
        @FormParam("archived_approvals") public String archivedApprovals;
        @FormParam("archived_self") public String archivedSelf;
        @FormParam("archived_reviewers") public String archivedReviewers;
        @FormParam("archived_gates") public String archivedGates;
        @FormParam("alias") public List<String> aliases;
        @FormParam("alias_stage") public List<String> aliasStages;

        /** The stage rows as typed. */
        List<StageRow> rows() {
            return List.of(
                    row("Staging", stagingGoverned, stagingApprovals, stagingSelf, stagingReviewers, stagingGates),
                    row("Production", productionGoverned, productionApprovals, productionSelf, productionReviewers,
                            productionGates),
                    row("Archived", archivedGoverned, archivedApprovals, archivedSelf, archivedReviewers,
                            archivedGates));
        }

        /** The alias rows as typed (blank ones dropped). */
        List<AliasRow> aliasRows() {
            List<AliasRow> out = new ArrayList<>();
            List<String> names = aliases == null ? List.of() : aliases;
            for (int i = 0; i < names.size(); i++) {
                String a = names.get(i) == null ? "" : names.get(i).strip();
                String s = aliasStages != null && i < aliasStages.size() ? aliasStages.get(i) : "Production";
                if (!a.isEmpty()) {
                    out.add(new AliasRow(a, s));
                }
            }
            return out;
        }

        private static StageRow row(String stage, String governed, String approvals, String self, String reviewers,
                                    String gates) {
            return new StageRow(stage, key(stage), checked(governed), approvals == null ? "" : approvals.strip(),
                    checked(self), reviewers == null ? "" : reviewers, gates == null ? "" : gates);
        }
    }

    @Inject PolicyService policies;

    @Inject Csrf csrf;

    @Inject ObjectMapper json;

    @GET
    public TemplateInstance show(@PathParam("name") String name) {
        return Templates.policy(form(name, policies.get(name), null, null, null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response save(@PathParam("name") String name, @BeanParam Fields fields) {
        return act(() -> {
            policies.put(name, document(fields.rows(), fields.aliasRows()));
            return url(name) + "?saved";
        }, e -> Templates.policy(form(name, policies.get(name), fields.rows(), fields.aliasRows(), e.getMessage())));
    }

    @POST
    @Path("reset")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response reset(@PathParam("name") String name) {
        return act(() -> {
            policies.reset(name);
            return url(name);
        }, e -> Templates.policy(form(name, policies.get(name), null, null, e.getMessage())));
    }

    /** The form of the effective policy, or of what was typed ({@code rows}, {@code aliases}) after a refusal. */
    private PolicyForm form(String name, PolicyView p, List<StageRow> rows, List<AliasRow> aliases, String error) {
        ObjectNode doc = p.policy().toJson();
        if (rows == null) {
            rows = new ArrayList<>();
            for (String stage : STAGES) {
                JsonNode s = doc.path("stages").path(stage);
                if (s.isMissingNode()) {
                    rows.add(new StageRow(stage, key(stage), false, "1", false, "", ""));
                    continue;
                }
                List<String> reviewers = new ArrayList<>();
                s.path("reviewers").forEach(r -> reviewers.add(r.asText()));
                StringBuilder gates = new StringBuilder();
                s.path("gates").forEach(g -> gates.append(g.toString()).append('\n'));
                rows.add(new StageRow(stage, key(stage), true, s.path("required_approvals").asText(),
                        s.path("allow_self_approval").asBoolean(), String.join(", ", reviewers), gates.toString()));
            }
        }
        if (aliases == null) {
            aliases = new ArrayList<>();
            for (Iterator<String> it = doc.path("protected_aliases").fieldNames(); it.hasNext(); ) {
                String a = it.next();
                aliases.add(new AliasRow(a, doc.path("protected_aliases").path(a).asText()));
            }
        }
        List<AliasRow> shown = new ArrayList<>(aliases);
        for (int i = 0; i < SPARE_ALIAS_ROWS; i++) {
            shown.add(new AliasRow("", "Production"));
        }
        return new PolicyForm(name, RegistryPageModel.modelUrl(name), url(name), p.source(), p.updatedBy(),
                p.updatedAt(), rows, shown, STAGES, csrf.token(), error);
    }

    /** The policy document the form describes; a malformed number or gate line is a 400 naming it. */
    private ObjectNode document(List<StageRow> rows, List<AliasRow> aliases) {
        ObjectNode doc = json.createObjectNode();
        ObjectNode stages = doc.putObject("stages");
        for (StageRow r : rows) {
            if (!r.governed()) {
                continue;
            }
            ObjectNode s = stages.putObject(r.stage());
            try {
                s.put("required_approvals", Integer.parseInt(r.approvals().isEmpty() ? "1" : r.approvals()));
            } catch (NumberFormatException e) {
                throw CairnException.invalid(r.stage() + ": required approvals must be a whole number");
            }
            s.put("allow_self_approval", r.self());
            ArrayNode reviewers = s.putArray("reviewers");
            Arrays.stream(r.reviewers().split(",")).map(String::strip).filter(x -> !x.isEmpty())
                    .forEach(reviewers::add);
            ArrayNode gates = s.putArray("gates");
            String[] lines = r.gates().split("\\R");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                try {
                    gates.add(json.readTree(lines[i]));
                } catch (IOException e) {
                    throw CairnException.invalid(r.stage() + ": gate line " + (i + 1) + " is not a JSON object");
                }
            }
        }
        ObjectNode protectedAliases = doc.putObject("protected_aliases");
        for (AliasRow a : aliases) {
            if (protectedAliases.has(a.alias())) {
                throw CairnException.invalid("Alias " + a.alias() + " is listed twice");
            }
            protectedAliases.put(a.alias(), a.stage());
        }
        return doc;
    }

    private static String key(String stage) {
        return stage.toLowerCase(Locale.ROOT);
    }

    private static String url(String name) {
        return RegistryPageModel.modelUrl(name) + "/policy";
    }
}
