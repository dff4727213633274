package dev.cairn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.artifacts.EmbeddedS3;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The external-PostgreSQL procedure the README documents: {@code pg_dump -Fc} of a live server's database, then a
 * mirror of its bucket, restored with {@code pg_restore} into a new database and a new bucket; a server started on
 * those answers as the original did.
 */
class ExternalBackupIT {

    @Test
    void pgDumpPlusABucketMirrorRestoresTheSameAnswers() throws Exception {
        Path s3Dir = Files.createTempDirectory("cairn-it-s3-backup");
        int s3Port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            s3Port = s.getLocalPort();
        }
        try (ExternalPostgres pg = ExternalPostgres.start();
             EmbeddedS3 s3 = EmbeddedS3.start(s3Dir, s3Port, "backup-access", "backup-secret-key")) {
            Map<String, String> env = new HashMap<>(Map.of("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME", "cairn", "CAIRN_S3_ENDPOINT", s3.endpoint(),
                    "CAIRN_S3_ACCESS_KEY", s3.accessKey(), "CAIRN_S3_SECRET_KEY", s3.secretKey(),
                    "CAIRN_S3_BUCKET", "primary"));
            Map<String, String> before;
            Path dump;
            byte[] file = new byte[200_000];
            new Random(5).nextBytes(file);
            try (PackagedServer a = PackagedServer.start(env).awaitHealthy(Duration.ofSeconds(120))) {
                String exp = BackupRestoreIT.post(a, "experiments/create", Map.of("name", "dumped"))
                        .path("experiment_id").asText();
                String run = BackupRestoreIT.post(a, "runs/create", Map.of("experiment_id", exp)).path("run")
                        .path("info").path("run_id").asText();
                BackupRestoreIT.post(a, "runs/log-batch", Map.of("run_id", run, "metrics", List.of(
                        Map.of("key", "loss", "value", 0.5, "timestamp", 1, "step", 0),
                        Map.of("key", "loss", "value", "NaN", "timestamp", 2, "step", 1))));
                BackupRestoreIT.put(a, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run
                        + "/artifacts/model/weights.bin", file);
                BackupRestoreIT.put(a, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run
                        + "/artifacts/model/MLmodel", "flavors: {}\n".getBytes());
                BackupRestoreIT.post(a, "registered-models/create", Map.of("name", "kept"));
                BackupRestoreIT.post(a, "model-versions/create", Map.of("name", "kept", "source", "runs:/" + run
                        + "/model", "run_id", run));
                BackupRestoreIT.post(a, "model-versions/transition-stage", Map.of("name", "kept", "version", "1",
                        "stage", "Production", "archive_existing_versions", false));
                BackupRestoreIT.post(a, "registered-models/alias", Map.of("name", "kept", "alias", "champion",
                        "version", "1"));
                before = BackupRestoreIT.answers(a, exp, run);
                // Online, as documented: the dump first, then the objects (write-once, so a later mirror has them all).
                dump = pg.dump("cairn");
                mirror(s3, "primary", "mirror");
            }
            pg.restore(dump, "restored");
            env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl("restored"));
            env.put("CAIRN_S3_BUCKET", "mirror");
            try (PackagedServer b = PackagedServer.start(env).awaitHealthy(Duration.ofSeconds(120))) {
                assertEquals(before, BackupRestoreIT.answers(b, before.get("exp"), before.get("run")));
            }
        }
    }

    /** What {@code mc mirror} does: every object of one bucket copied into another. */
    static void mirror(EmbeddedS3 s3, String from, String to) throws Exception {
        MinioClient client = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey())
                .build();
        client.makeBucket(MakeBucketArgs.builder().bucket(to).build());
        for (var item : client.listObjects(ListObjectsArgs.builder().bucket(from).recursive(true).build())) {
            String key = item.get().objectName();
            client.copyObject(CopyObjectArgs.builder().bucket(to).object(key)
                    .source(CopySource.builder().bucket(from).object(key).build()).build());
        }
    }
}
