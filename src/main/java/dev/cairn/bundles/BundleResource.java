package dev.cairn.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code POST /api/v1/bundles/export} and {@code /import}: chosen experiments and models as a bundle (admins). */
@Path("/api/v1/bundles")
public class BundleResource {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    @Inject BundleExporter exporter;

    @Inject BundleImporter importer;

    @POST
    @Path("export")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response export(JsonNode body) {
        BundleExporter.Plan plan = exporter.plan(BundleRequest.parse(body));
        StreamingOutput out = o -> exporter.write(plan, o);
        return Response.ok(out, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"cairn-bundle-" + STAMP.format(Instant.now())
                        + ".zip\"")
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("import")
    // No @Consumes: any content type is read as the ZIP it must be (a 415 would also answer before the access check)
    @Produces(MediaType.APPLICATION_JSON)
    public BundleImporter.Result importBundle(InputStream body) {
        return importer.importBundle(body);
    }
}
