package dev.cairn.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the operating system's own package (Debian's {@code postgresql}, which {@code .ci/run}
 * installs), not the embedded one: a throwaway cluster in a temporary directory on a free loopback port, trust
 * authentication for user {@code cairn}, database {@code cairn}. As root the server runs as the package's
 * {@code postgres} user, since PostgreSQL refuses to run as root.
 */
final class ExternalPostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final List<String> asUser;

    private ExternalPostgres(Path bin, Path dir, int port, List<String> asUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asUser = asUser;
    }

    static ExternalPostgres start() throws Exception {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("cairn-it-pg");
        List<String> asUser = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            asUser.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        int port = freePort();
        ExternalPostgres pg = new ExternalPostgres(bin, dir, port, asUser);
        pg.run("initdb", "-D", dir.resolve("data").toString(), "-U", "cairn", "--auth=trust", "-E", "UTF8",
                "--no-sync");
        pg.run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=100 "
                        + "-c fsync=off", "start");
        pg.run("createdb", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "cairn", "cairn");
        return pg;
    }

    String jdbcUrl() {
        return jdbcUrl("cairn");
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** {@code pg_dump -Fc} of a database into a file in the server's directory (its user may write there). */
    Path dump(String database) throws Exception {
        Path file = dir.resolve(database + ".dump");
        run("pg_dump", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "cairn", "-Fc", "-f", file.toString(),
                database);
        return file;
    }

    /** A new database restored from a {@link #dump} with {@code pg_restore}. */
    void restore(Path dump, String database) throws Exception {
        run("createdb", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "cairn", database);
        run("pg_restore", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "cairn", "--exit-on-error", "-d",
                database, dump.toString());
    }

    String version() throws Exception {
        return bin.getParent().getFileName().toString();
    }

    @Override
    public void close() throws Exception {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void run(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(asUser);
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("cairn-it-pg-tool", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " failed:\n" + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The newest {@code /usr/lib/postgresql/<major>/bin} with {@code initdb}. */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString()
                                .replaceAll("\\D", "0"))));
                if (found.isPresent()) {
                    return found.get().resolve("bin");
                }
            }
        }
        throw new AssertionError("No PostgreSQL server under /usr/lib/postgresql: install Debian's 'postgresql' "
                + "package (.ci/run does)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
