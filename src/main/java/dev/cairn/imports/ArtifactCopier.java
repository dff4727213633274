package dev.cairn.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactOwner;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.imports.SourceClient.SourceException;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Copies a run's artifacts: the tree is listed with the source's {@code artifacts/list}; each file is read through
 * the source's artifact proxy ({@code mlflow-artifacts/artifacts/…}) when the run's artifact URI is
 * {@code mlflow-artifacts:}, straight from S3 with the job's keys when it is {@code s3://} and keys were given, and
 * else through {@code get-artifact}, which MLflow serves from any store it can read. A file already in the target
 * at the same path with the same size is skipped (MLflow's listings carry sizes, not digests).
 */
@ApplicationScoped
class ArtifactCopier {

    /** Directories listed per run at most, so a pathological tree cannot keep a job busy forever. */
    static final int MAX_DIRECTORIES = 10_000;

    @Inject ArtifactService artifacts;

    @Inject RunLookup runLookup;

    /** True when every file is in the target now. */
    boolean copyRun(ImportContext ctx, String runId, String artifactUri) {
        RunRef run = runLookup.require(runId);
        ArtifactOwner owner = ArtifactOwner.of(run);
        Optional<MinioClient> s3 = artifactUri.startsWith("s3://") ? s3(ctx) : Optional.empty();
        boolean complete = true;
        Deque<String> dirs = new ArrayDeque<>();
        dirs.add("");
        int listed = 0;
        while (!dirs.isEmpty() && listed++ < MAX_DIRECTORIES) {
            String dir = dirs.poll();
            Map<String, String> q = new LinkedHashMap<>();
            q.put("run_id", runId);
            q.put("run_uuid", runId);
            if (!dir.isEmpty()) {
                q.put("path", dir);
            }
            JsonNode listing = ctx.client.get("/api/2.0/mlflow/artifacts/list", q);
            for (JsonNode f : listing.path("files")) {
                String path = f.path("path").asText();
                if (f.path("is_dir").asBoolean(false)) {
                    dirs.add(path);
                    continue;
                }
                ctx.checkpoint();
                ctx.progress.total("artifacts", 1);
                long size = f.path("file_size").asLong(-1);
                Optional<ArtifactFile> present = artifacts.file(owner, path);
                if (present.isPresent() && size >= 0 && present.get().size() == size) {
                    ctx.progress.skipped("artifacts", 1);
                    continue;
                }
                try {
                    long copied = copyFile(ctx, owner, runId, artifactUri, s3, path, size);
                    ctx.progress.copied("artifacts", 1);
                    ctx.progress.bytes(copied);
                } catch (CairnException | SourceException | IllegalStateException x) {
                    complete = false;
                    ctx.progress.failed("artifacts", runId + "/" + path, ImportContext.reason(x));
                }
            }
        }
        return complete;
    }

    private long copyFile(ImportContext ctx, ArtifactOwner owner, String runId, String artifactUri,
                          Optional<MinioClient> s3, String path, long size) {
        if (s3.isPresent()) {
            String rest = artifactUri.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            String key = (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/") + path;
            try {
                StatObjectResponse stat = s3.get().statObject(StatObjectArgs.builder().bucket(bucket).object(key)
                        .build());
                try (InputStream in = s3.get().getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                        .build())) {
                    return artifacts.upload(owner, path, in, stat.size(), stat.contentType()).size();
                }
            } catch (CairnException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot read s3://" + bucket + "/" + key + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
        }
        SourceClient.Download d;
        if (artifactUri.startsWith("mlflow-artifacts:")) {
            d = ctx.client.download("/api/2.0/mlflow-artifacts/artifacts/" + proxyPath(artifactUri) + "/"
                    + encode(path), Map.of());
        } else {
            d = ctx.client.download("/get-artifact", Map.of("run_uuid", runId, "run_id", runId, "path", path));
        }
        try (InputStream in = d.body()) {
            return artifacts.upload(owner, path, in, d.length() >= 0 ? d.length() : size, null).size();
        } catch (IOException e) {
            throw new IllegalStateException("download of " + path + " broke off: " + e.getMessage());
        }
    }

    /** {@code mlflow-artifacts:/1/<run>/artifacts} or {@code mlflow-artifacts://host:port/1/…} → {@code 1/<run>/artifacts}. */
    static String proxyPath(String artifactUri) {
        String rest = artifactUri.substring("mlflow-artifacts:".length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return encode(rest);
    }

    /** Percent-encodes each segment of a path, keeping its slashes. */
    static String encode(String path) {
        StringBuilder b = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (!b.isEmpty()) {
                b.append('/');
            }
            b.append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    private static Optional<MinioClient> s3(ImportContext ctx) {
        SourceCredentials c = ctx.credentials;
        if (ctx.options.s3Endpoint() == null || c.s3AccessKey() == null) {
            return Optional.empty();
        }
        MinioClient.Builder b = MinioClient.builder().endpoint(ctx.options.s3Endpoint())
                .credentials(c.s3AccessKey(), c.s3SecretKey());
        if (ctx.options.s3Region() != null) {
            b.region(ctx.options.s3Region());
        }
        return Optional.of(b.build());
    }
}
