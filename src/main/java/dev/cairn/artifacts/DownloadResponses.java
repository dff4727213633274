package dev.cairn.artifacts;

import dev.cairn.common.ErrorBody;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URLConnection;
import java.util.Locale;
import java.util.Set;

/**
 * HTTP download responses shared by the MLflow, native and registry routes and the UI: streamed, always an
 * attachment, {@code ETag} = the SHA-256, byte ranges, and content types that can never be
 * rendered as active content by a browser.
 */
public final class DownloadResponses {

    /** Types a browser would execute or render as a page: served as plain text instead (as MLflow does). */
    private static final Set<String> ACTIVE_TYPES = Set.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "application/javascript", "text/javascript", "application/xml", "text/xml");

    private DownloadResponses() {
    }

    /** Streams a known file: a run's, or one pinned by a model version. */
    public static Response download(ArtifactDownloads downloads, ArtifactFile file, String range, String ifNoneMatch) {
        if (ifNoneMatch != null && etagMatches(ifNoneMatch, file.sha256())) {
            return Response.notModified().tag(file.sha256()).build();
        }
        ArtifactDownloads.Download d;
        try {
            d = downloads.open(file, range);
        } catch (ByteRange.NotSatisfiableException e) {
            return Response.status(416).header("Content-Range", "bytes */" + e.size())
                    .type(MediaType.APPLICATION_JSON)
                    .entity(ErrorBody.of(e.code(), e.getMessage())).build();
        }
        ArtifactDownloads.Download download = d;
        StreamingOutput body = out -> {
            // 1 MB chunks: every write hands a buffer to the event loop, so small writes (transferTo
            // uses 8 KB) cap throughput far below the store's. Memory stays one buffer per download.
            byte[] buf = new byte[1 << 20];
            try (InputStream src = downloads.stream(download)) {
                for (int n; (n = src.readNBytes(buf, 0, buf.length)) > 0; ) {
                    out.write(buf, 0, n);
                }
            }
        };
        Response.ResponseBuilder b = Response.status(d.partial() ? 206 : 200).entity(body)
                .type(contentType(d.file().path()))
                .header(HttpHeaders.CONTENT_LENGTH, d.length())
                .header("Content-Disposition", ContentDisposition.attachment(ArtifactPaths.baseName(d.file().path())))
                .header("X-Content-Type-Options", "nosniff")
                .header("Accept-Ranges", "bytes")
                .header("ETag", "\"" + d.file().sha256() + "\"");
        if (d.partial()) {
            b.header("Content-Range", "bytes " + d.start() + "-" + (d.start() + d.length() - 1) + "/" + d.file().size());
        }
        return b.build();
    }

    /** If-None-Match: a list of (possibly weak) entity tags, or "*". */
    static boolean etagMatches(String header, String sha256) {
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals("\"" + sha256 + "\"")) {
                return true;
            }
        }
        return false;
    }

    static String contentType(String path) {
        String guessed = URLConnection.guessContentTypeFromName(ArtifactPaths.baseName(path));
        if (guessed == null) {
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".json")) {
                return "application/json";
            }
            if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".md") || lower.endsWith(".log")
                    || lower.endsWith(".csv") || lower.equals("mlmodel") || lower.endsWith("/mlmodel")) {
                return "text/plain";
            }
            return "application/octet-stream";
        }
        return ACTIVE_TYPES.contains(guessed) ? "text/plain" : guessed;
    }
}
