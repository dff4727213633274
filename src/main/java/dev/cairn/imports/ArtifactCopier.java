package dev.cairn.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactOwner;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.imports.SourceClient.SourceException;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.models.LoggedModelLookup;
import dev.cairn.tracking.models.LoggedModelRef;
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

    @Inject LoggedModelLookup loggedModels;

    /** One file: where the listing says it is, and how many bytes it has (-1: unknown). */
    @FunctionalInterface
    private interface FileCopy {
        long copy(String path, long size);
    }

    /** A run's files; true when every file is in the target now. */
    boolean copyRun(ImportContext ctx, String runId, String artifactUri) {
        RunRef run = runLookup.require(runId);
        ArtifactOwner owner = ArtifactOwner.of(run);
        Optional<MinioClient> s3 = artifactUri.startsWith("s3://") ? s3(ctx) : Optional.empty();
        return copyTree(ctx, owner, runId, dir -> {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("run_id", runId);
            q.put("run_uuid", runId);
            if (!dir.isEmpty()) {
                q.put("path", dir);
            }
            return ctx.client.get("/api/2.0/mlflow/artifacts/list", q);
        }, (path, size) -> copyFile(ctx, owner, runId, artifactUri, s3, path, size));
    }

    /**
     * A logged model's files, listed and read through the source's artifact proxy (its artifact URI is
     * {@code mlflow-artifacts:/<experiment>/models/<id>/artifacts}), or from S3 with the job's keys.
     */
    boolean copyLoggedModel(ImportContext ctx, String modelId, String artifactUri) {
        LoggedModelRef model = loggedModels.find(modelId).orElseThrow(() -> CairnException.notFound(
                "No logged model " + modelId));
        ArtifactOwner owner = ArtifactOwner.of(model);
        Optional<MinioClient> s3 = artifactUri.startsWith("s3://") ? s3(ctx) : Optional.empty();
        if (!artifactUri.startsWith("mlflow-artifacts:")) {
            if (s3.isEmpty()) {
                ctx.progress.failed("artifacts", modelId, "artifacts at " + artifactUri + " are not reachable: "
                        + "the source serves logged-model files only through its artifact proxy, or give S3 keys");
                return false;
            }
            return copyS3Tree(ctx, owner, modelId, artifactUri, s3.get());
        }
        String root = proxyPath(artifactUri);
        return copyTree(ctx, owner, modelId, dir -> ctx.client.get("/api/2.0/mlflow-artifacts/artifacts",
                Map.of("path", root.isEmpty() ? dir : dir.isEmpty() ? decoded(root) : decoded(root) + "/" + dir)),
                (path, size) -> copyFile(ctx, owner, modelId, artifactUri, Optional.empty(), path, size));
    }

    private boolean copyTree(ImportContext ctx, ArtifactOwner owner, String label,
                             java.util.function.Function<String, JsonNode> list, FileCopy copy) {
        boolean complete = true;
        Deque<String> dirs = new ArrayDeque<>();
        dirs.add("");
        int listed = 0;
        while (!dirs.isEmpty() && listed++ < MAX_DIRECTORIES) {
            String dir = dirs.poll();
            for (JsonNode f : list.apply(dir).path("files")) {
                // Run listings name files from the artifact root, the proxy's by their base name.
                String path = f.path("path").asText();
                if (!dir.isEmpty() && !path.startsWith(dir + "/")) {
                    path = dir + "/" + path.substring(path.lastIndexOf('/') + 1);
                }
                if (f.path("is_dir").asBoolean(false)) {
                    dirs.add(path);
                    continue;
                }
                complete &= copyOne(ctx, owner, label, path, f.path("file_size").asLong(-1), copy);
            }
        }
        return complete;
    }

    private boolean copyS3Tree(ImportContext ctx, ArtifactOwner owner, String label, String artifactUri,
                               MinioClient s3) {
        S3Location at = S3Location.of(artifactUri);
        boolean complete = true;
        try {
            for (io.minio.Result<io.minio.messages.Item> r : s3.listObjects(io.minio.ListObjectsArgs.builder()
                    .bucket(at.bucket()).prefix(at.prefix()).recursive(true).build())) {
                io.minio.messages.Item item = r.get();
                String path = item.objectName().substring(at.prefix().length());
                complete &= copyOne(ctx, owner, label, path, item.size(),
                        (p, size) -> copyFile(ctx, owner, label, artifactUri, Optional.of(s3), p, size));
            }
        } catch (Exception e) {
            ctx.progress.failed("artifacts", label, "cannot list " + artifactUri + ": " + e.getClass().getSimpleName());
            return false;
        }
        return complete;
    }

    private boolean copyOne(ImportContext ctx, ArtifactOwner owner, String label, String path, long size,
                            FileCopy copy) {
        ctx.checkpoint();
        ctx.progress.total("artifacts", 1);
        Optional<ArtifactFile> present = artifacts.file(owner, path);
        if (present.isPresent() && size >= 0 && present.get().size() == size) {
            ctx.progress.skipped("artifacts", 1);
            return true;
        }
        try {
            long copied = copy.copy(path, size);
            ctx.progress.copied("artifacts", 1);
            ctx.progress.bytes(copied);
            return true;
        } catch (CairnException | SourceException | IllegalStateException x) {
            ctx.progress.failed("artifacts", label + "/" + path, ImportContext.reason(x));
            return false;
        }
    }

    /** {@code s3://bucket/prefix/…} split; the prefix ends with a slash unless empty. */
    record S3Location(String bucket, String prefix) {
        static S3Location of(String uri) {
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            return new S3Location(bucket, prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/");
        }
    }

    private static String decoded(String encodedPath) {
        return java.net.URLDecoder.decode(encodedPath.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private long copyFile(ImportContext ctx, ArtifactOwner owner, String runId, String artifactUri,
                          Optional<MinioClient> s3, String path, long size) {
        if (s3.isPresent()) {
            S3Location at = S3Location.of(artifactUri);
            String bucket = at.bucket();
            String key = at.prefix() + path;
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
