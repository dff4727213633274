package dev.cairn.backup;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code GET /api/v1/admin/backup}: a consistent online backup, streamed as it is made (admins). */
@Path("/api/v1/admin/backup")
public class BackupResource {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    @Inject BackupService backups;

    @GET
    public Response backup() {
        StreamingOutput body = backups::write;
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"cairn-backup-" + STAMP.format(Instant.now())
                        + ".zip\"")
                .header("Cache-Control", "no-store").build();
    }
}
