package dev.cairn.artifacts;

import dev.cairn.common.ServerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Builds the {@link ArtifactStore}: the configured S3 endpoint, or the embedded one when none is set. */
@ApplicationScoped
public class ArtifactStoreProducer {

    private static final Logger LOG = Logger.getLogger(ArtifactStoreProducer.class);

    private EmbeddedS3 embedded;

    @Produces
    @Singleton
    ArtifactStore store(StoreConfig config, ServerConfig server, MeterRegistry meters) {
        MinioArtifactStore store;
        if (config.endpoint().isPresent() && !config.endpoint().get().isBlank()) {
            store = new MinioArtifactStore(config.endpoint().get(), config.accessKey().orElse(""),
                    config.secretKey().orElse(""), config.bucket(), config.region());
            LOG.infof("Artifact store: %s, bucket %s", config.endpoint().get(), config.bucket());
        } else {
            try {
                embedded = EmbeddedS3.start(Path.of(server.dataDir()).toAbsolutePath().normalize().resolve("objects"));
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the embedded object store", e);
            }
            store = new MinioArtifactStore(embedded.endpoint(), embedded.accessKey(), embedded.secretKey(),
                    config.bucket(), config.region());
        }
        try {
            store.ensureBucket();
        } catch (StoreUnavailableException e) {
            // Start anyway: tracking works without the store, artifact calls answer 503 until it is back.
            LOG.warn("Artifact store unreachable at start-up; artifact requests will fail until it is back");
        }
        return new MeteredArtifactStore(store, meters);
    }

    void stop(@Observes ShutdownEvent event) {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                LOG.debug("Embedded object store stop failed", e);
            }
        }
    }
}
