package dev.cairn.ui;

import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.ExperimentActivity;
import dev.cairn.tracking.search.ViewType;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The home page: experiments with their run counts and last activity, searchable by name, paged. */
@PageResource
@Path("/")
public class HomePage {

    /** What the template shows for one experiment; templates never see entities. */
    public record ExperimentRow(String id, String name, long runCount, Long lastActivity, long created) {
    }

    /** The page: the name searched for, the rows, and the link to the next page (null on the last). */
    public record View(String query, List<ExperimentRow> experiments, String firstUrl, String nextUrl,
                       boolean firstPage) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(View view);
    }

    @Inject ExperimentService experiments;

    @Inject UiConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance index(@QueryParam("q") String q, @QueryParam("page") String page) {
        String query = q == null ? "" : q.strip();
        // The name search goes through the search language (parameterised there); the text is quoted
        // for it, so quotes and backslashes in a name match literally. % and _ stay LIKE wildcards.
        String filter = query.isEmpty() ? null : "name ILIKE '%" + Links.quoteString(Links.likeLiteral(query)) + "%'";
        int pageSize = config.experimentsPageSize();
        ExperimentService.Page found = experiments.search(filter, List.of(), ViewType.ACTIVE_ONLY, pageSize, page);
        List<Long> ids = found.experiments().stream().map(d -> d.experiment().id).toList();
        var activity = experiments.activity(ids);
        List<ExperimentRow> rows = found.experiments().stream().map(d -> {
            ExperimentActivity a = activity.getOrDefault(d.experiment().id, new ExperimentActivity(0, null));
            return new ExperimentRow(Long.toString(d.experiment().id), d.experiment().name, a.runCount(),
                    a.lastActivity(), d.experiment().creationTime);
        }).toList();
        String next = found.nextPageToken() == null ? null
                : new Links.Query().add("q", query.isEmpty() ? null : query).add("page", found.nextPageToken())
                        .toUrl("/");
        String first = new Links.Query().add("q", query.isEmpty() ? null : query).toUrl("/");
        return Templates.index(new View(query, rows, first, next, page == null || page.isBlank()));
    }
}
