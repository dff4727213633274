package dev.cairn.artifacts;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.Xml;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.ListMultipartUploadsResult;
import io.minio.messages.Upload;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import okhttp3.Headers;
import org.jboss.logging.Logger;

/**
 * {@link ArtifactStore} over the MinIO Java client: any S3-compatible store (MinIO, AWS S3, Ceph,
 * the embedded S3Proxy). Objects larger than one part are sent as S3 multipart uploads, so memory
 * use is bounded by the part size, never by the file size.
 */
public class MinioArtifactStore implements ArtifactStore {

    private static final Logger LOG = Logger.getLogger(MinioArtifactStore.class);
    /** Part size for uploads of unknown length; each in-flight part is buffered once. */
    static final long PART_SIZE = 16L * 1024 * 1024;

    /** S3 error codes caused by the request's content rather than by the store's health. */
    private static final java.util.Set<String> CLIENT_ERRORS = java.util.Set.of("InvalidPart", "InvalidPartOrder",
            "EntityTooSmall", "EntityTooLarge", "NoSuchUpload", "InvalidArgument", "BadDigest", "InvalidRange");

    private final MinioClient client;
    private final MinioAsyncClient asyncClient;
    private final UploadLister uploadLister;
    private final String bucket;
    private final String region;

    public MinioArtifactStore(String endpoint, String accessKey, String secretKey, String bucket, String region) {
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region(region).build();
        this.asyncClient = MinioAsyncClient.builder().endpoint(endpoint).credentials(accessKey, secretKey)
                .region(region).build();
        this.uploadLister = new UploadLister(asyncClient);
        this.bucket = bucket;
        this.region = region;
    }

    /** Creates the bucket if it does not exist yet. */
    public void ensureBucket() {
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(region).build());
                LOG.infof("Created bucket %s", bucket);
            }
            return null;
        });
    }

    @Override
    public void put(String key, InputStream in, long size, String contentType) {
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(in, size, size < 0 || size > PART_SIZE ? PART_SIZE : -1)
                .contentType(contentType == null ? "application/octet-stream" : contentType).build()));
    }

    @Override
    public InputStream get(String key, long offset, Long length) {
        return call(() -> {
            GetObjectArgs.Builder b = GetObjectArgs.builder().bucket(bucket).object(key);
            if (offset > 0 || length != null) {
                b.offset(offset);
                if (length != null) {
                    b.length(length);
                }
            }
            return client.getObject(b.build());
        });
    }

    @Override
    public long size(String key) {
        return call(() -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
    }

    @Override
    public void delete(String key) {
        call(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    @Override
    public String presignGet(String key, Duration ttl, String fileName) {
        return call(() -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET)
                .bucket(bucket).object(key).expiry((int) ttl.toSeconds())
                .extraQueryParams(Map.of("response-content-disposition", ContentDisposition.attachment(fileName)))
                .build()));
    }

    @Override
    public String createMultipart(String key) {
        return call(() -> asyncClient.createMultipartUploadAsync(bucket, region, key, null, null).get()
                .result().uploadId());
    }

    @Override
    public String uploadPart(String key, String uploadId, int partNumber, InputStream in, long size) {
        return call(() -> asyncClient.uploadPartAsync(bucket, region, key, in, size, uploadId, partNumber, null, null)
                .get().etag());
    }

    @Override
    public void completeMultipart(String key, String uploadId, List<Part> parts) {
        io.minio.messages.Part[] ps = parts.stream()
                .map(p -> new io.minio.messages.Part(p.number(), p.etag()))
                .toArray(io.minio.messages.Part[]::new);
        call(() -> asyncClient.completeMultipartUploadAsync(bucket, region, key, uploadId, ps, null, null).get());
    }

    @Override
    public void abortMultipart(String key, String uploadId) {
        call(() -> asyncClient.abortMultipartUploadAsync(bucket, region, key, uploadId, null, null).get());
    }

    @Override
    public List<PendingUpload> listPendingMultipart(String prefix, int max) {
        return call(() -> {
            List<PendingUpload> out = new ArrayList<>();
            String keyMarker = null;
            String uploadIdMarker = null;
            while (out.size() < max) {
                ListMultipartUploadsResult page = uploadLister.list(bucket, region, prefix, keyMarker, uploadIdMarker);
                for (Upload u : page.uploads()) {
                    if (out.size() < max) {
                        out.add(new PendingUpload(u.objectName(), u.uploadId(),
                                u.initiated() == null ? null : u.initiated().toInstant()));
                    }
                }
                if (!page.isTruncated() || page.nextKeyMarker() == null || page.nextKeyMarker().isEmpty()) {
                    break;
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            }
            return out;
        });
    }

    /**
     * ListMultipartUploads with only the parameters every store accepts. The client's own
     * {@code listMultipartUploadsAsync} always sends {@code delimiter} and {@code max-uploads}, which S3Proxy
     * refuses (NotImplemented); markers are sent only for a second page, which S3Proxy never announces.
     */
    private static final class UploadLister extends MinioAsyncClient {

        UploadLister(MinioAsyncClient client) {
            super(client);
        }

        ListMultipartUploadsResult list(String bucket, String region, String prefix, String keyMarker,
                                        String uploadIdMarker) throws Exception {
            Multimap<String, String> query = HashMultimap.create();
            query.put("uploads", "");
            query.put("prefix", prefix);
            if (keyMarker != null) {
                query.put("key-marker", keyMarker);
                if (uploadIdMarker != null && !uploadIdMarker.isEmpty()) {
                    query.put("upload-id-marker", uploadIdMarker);
                }
            }
            try (okhttp3.Response response = executeAsync(Method.GET, bucket, null, region, Headers.of(), query,
                    null, 0).get()) {
                return Xml.unmarshal(ListMultipartUploadsResult.class, response.body().charStream());
            }
        }
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T run() throws Exception;
    }

    /** Every store failure becomes one exception type; details go to the log, not to clients. */
    private static <T> T call(StoreCall<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while talking to the artifact store");
        } catch (ExecutionException e) {
            throw translate(e.getCause() == null ? e : e.getCause());
        } catch (Exception e) {
            throw translate(e);
        }
    }

    private static RuntimeException translate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.cairn.common.CairnException ce) {
                return ce; // e.g. the size limit, raised from inside the upload stream
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (e instanceof ErrorResponseException er) {
            String code = er.errorResponse().code();
            if ("NoSuchKey".equals(code)) {
                return new StoredObjectMissingException();
            }
            if (CLIENT_ERRORS.contains(code)) {
                // The store rejected what the client sent (e.g. a wrong part ETag): retrying won't help.
                return dev.cairn.common.CairnException.invalid("The artifact store rejected the request: " + code);
            }
        }
        LOG.warnf("Artifact store call failed: %s", e.toString());
        return new StoreUnavailableException("The artifact store is unavailable; retry later");
    }

    /** The database references an object the store no longer has. */
    public static final class StoredObjectMissingException extends dev.cairn.common.CairnException {
        StoredObjectMissingException() {
            super(dev.cairn.common.ErrorCode.DATA_LOSS, "The stored object for this artifact is missing");
        }
    }
}
