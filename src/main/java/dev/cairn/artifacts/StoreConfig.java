package dev.cairn.artifacts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Object-storage settings ({@code CAIRN_S3_*}). With no endpoint, an embedded S3 server is started. */
@ConfigMapping(prefix = "cairn.s3")
public interface StoreConfig {

    /** S3 endpoint, e.g. {@code http://minio:9000}. Unset: the embedded store under the data directory. */
    Optional<String> endpoint();

    /** Access key for the endpoint. */
    Optional<String> accessKey();

    /** Secret key for the endpoint (never logged). */
    Optional<String> secretKey();

    /** Bucket holding all artifacts; created at start-up if missing. */
    @WithDefault("cairn-artifacts")
    String bucket();

    /** Region sent to the store. */
    @WithDefault("us-east-1")
    String region();

    /** Lifetime of presigned download links. */
    @WithDefault("PT15M")
    Duration presignTtl();

    /** Largest accepted artifact file, in bytes (default 50 GiB). */
    @WithDefault("53687091200")
    long maxFileSize();

    /** How long an unfinished upload may run before its object is treated as garbage. */
    @WithDefault("PT24H")
    Duration abandonedUploadAge();
}
