package dev.cairn.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged server ({@code target/quarkus-app/quarkus-run.jar}) as its own process, for integration tests
 * ({@code *IT}, run by failsafe after {@code package}): a free port, a temporary {@code CAIRN_DATA_DIR} unless one is
 * given, the environment the test sets (and none of Cairn's or Quarkus's settings from the caller's), output captured
 * to files. {@link #close()} stops it and an embedded PostgreSQL it may have left behind.
 */
public final class PackagedServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dataDir;
    private final boolean ownDataDir;
    private final Path stdout;
    private final Path stderr;

    private PackagedServer(Process process, int port, Path dataDir, boolean ownDataDir, Path stdout, Path stderr) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.ownDataDir = ownDataDir;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts the jar with {@code env} on top of a clean environment; does not wait (see {@link #awaitHealthy}). */
    public static PackagedServer start(Map<String, String> env) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after package (./mvnw verify)");
        }
        int port = freePort();
        boolean ownDataDir = !env.containsKey("CAIRN_DATA_DIR");
        Path dataDir = ownDataDir ? Files.createTempDirectory("cairn-it-data") : Path.of(env.get("CAIRN_DATA_DIR"));
        Path logs = Files.createTempDirectory("cairn-it-logs");
        Path out = logs.resolve("stdout.log");
        Path err = logs.resolve("stderr.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> childEnv = pb.environment();
        childEnv.keySet().removeIf(k -> k.startsWith("CAIRN_") || k.startsWith("QUARKUS_"));
        childEnv.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        childEnv.put("CAIRN_DATA_DIR", dataDir.toString());
        childEnv.putAll(new HashMap<>(env));
        return new PackagedServer(pb.start(), port, dataDir, ownDataDir, out, err);
    }

    /** Waits until {@code GET /health} answers 200; fails early, with the output, if the process exits. */
    public PackagedServer awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("The server exited with " + process.exitValue() + " before it was healthy\n"
                        + output());
            }
            try {
                if (get("/health", "localhost").startsWith("HTTP/1.1 200")) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The server was not healthy within " + timeout + "\n" + output());
    }

    /** The exit code, or empty if it still runs after {@code timeout}. */
    public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** A raw HTTP/1.1 GET with exactly this Host header: status line, headers and body as received. */
    public String get(String path, String host) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    public String output() {
        return "--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    }

    /** The embedded PostgreSQL's port, from its {@code postmaster.pid} (fourth line). */
    public int postgresPort() throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
        return Integer.parseInt(lines.get(3).trim());
    }

    /** SIGKILL: no shutdown hook runs, so the embedded PostgreSQL child survives (as after a real crash). */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait (Quarkus shuts down, the embedded PostgreSQL with it). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill9();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        stopOrphanedPostgres();
        if (ownDataDir) {
            deleteTree(dataDir);
        }
        deleteTree(stdout.getParent());
    }

    private void stopOrphanedPostgres() throws Exception {
        Path pid = dataDir.resolve("postgres/postmaster.pid");
        if (!Files.exists(pid)) {
            return;
        }
        List<String> lines = Files.readAllLines(pid);
        if (lines.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        if (handle.isPresent() && handle.get().info().command().orElse("").contains("postgres")) {
            handle.get().destroy();
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
