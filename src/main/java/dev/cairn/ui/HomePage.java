package dev.cairn.ui;

import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.search.ViewType;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The home page: the experiments list (a fuller UI arrives with the web UI issue). */
@Path("/")
public class HomePage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** What the template shows for one experiment; templates never see entities. */
    public record ExperimentRow(String id, String name, String artifactLocation, String created) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<ExperimentRow> experiments);
    }

    @Inject
    ExperimentService experiments;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance index() {
        List<ExperimentRow> rows = experiments.search(null, List.of(), ViewType.ACTIVE_ONLY, 500, null)
                .experiments().stream()
                .map(d -> new ExperimentRow(Long.toString(d.experiment().id), d.experiment().name,
                        d.experiment().artifactLocation, TIME.format(Instant.ofEpochMilli(d.experiment().creationTime))))
                .toList();
        return Templates.index(rows);
    }
}
