package dev.cairn.artifacts;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.cairn.common.SecretFiles;
import java.io.StringReader;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jboss.logging.Logger;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * The zero-setup object store: S3Proxy with its filesystem backend under {@code <data dir>/objects},
 * listening on loopback only. Cairn talks to it through the same MinIO client as to a real store, so there is one code
 * path in every mode. Its access and secret keys are made up independently (neither reveals the other) on first start
 * and kept in {@code s3-credentials} (0600) beside the objects directory, so every start uses the same pair.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedS3.class);

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, String endpoint, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public static final String CREDENTIALS_FILE = "s3-credentials";

    /** Starts on a free loopback port with the keys kept beside {@code dir} (made up on first start). */
    public static EmbeddedS3 start(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Properties keys = credentials(dir.toAbsolutePath().resolveSibling(CREDENTIALS_FILE));
        return start(dir, port, keys.getProperty("access-key"), keys.getProperty("secret-key"));
    }

    /** The kept key pair, or a new one (two independent random values) written with mode 0600. */
    static Properties credentials(Path file) throws java.io.IOException {
        Properties keys = new Properties();
        if (Files.exists(file)) {
            keys.load(new StringReader(SecretFiles.read(file)));
        }
        if (keys.getProperty("access-key", "").isEmpty() || keys.getProperty("secret-key", "").isEmpty()) {
            keys.setProperty("access-key", SecretFiles.randomToken(15));
            keys.setProperty("secret-key", SecretFiles.randomToken(30));
            SecretFiles.writePrivate(file, "# Keys of Cairn's embedded S3 server (generated; keep private)\n"
                    + "access-key=" + keys.getProperty("access-key") + "\nsecret-key=" + keys.getProperty("secret-key")
                    + "\n");
        }
        return keys;
    }

    /** Starts on a given loopback port with given credentials (tests restart a store on its port). */
    public static EmbeddedS3 start(Path dir, int port, String accessKey, String secretKey) throws Exception {
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(props)
                .buildView(BlobStoreContext.class);
        String endpoint = "http://127.0.0.1:" + port;
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create(endpoint))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("Embedded S3 server did not start");
        }
        LOG.infof("Embedded object store at %s with data in %s", endpoint, dir);
        return new EmbeddedS3(proxy, context, endpoint, accessKey, secretKey);
    }

    public String endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
