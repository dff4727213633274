package dev.cairn.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A bundle on disk, verified as a whole when opened: format and version, each entry's line count and SHA-256
 * against {@code bundle.json}, every line's fields, references between entries, and every file's size and SHA-256.
 * Anything wrong is a 400 naming the entry, raised before the import writes anything.
 */
final class BundleArchive implements Closeable {

    /** Called for each line of an entry, with its 1-based number. */
    @FunctionalInterface
    interface LineHandler {
        void line(JsonNode n, long number) throws IOException;
    }

    private final ZipFile zip;

    final JsonNode manifest;
    final List<JsonNode> experiments = new ArrayList<>();
    final List<JsonNode> runs = new ArrayList<>();
    final List<JsonNode> models = new ArrayList<>();
    final List<JsonNode> versions = new ArrayList<>();

    private BundleArchive(ZipFile zip, JsonNode manifest) {
        this.zip = zip;
        this.manifest = manifest;
    }

    static BundleArchive open(Path file) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw CairnException.invalid("The bundle is not a ZIP file");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the uploaded bundle", e);
        }
        try {
            BundleArchive a = new BundleArchive(zip, readManifest(zip));
            a.verify();
            return a;
        } catch (RuntimeException | IOException e) {
            try {
                zip.close();
            } catch (IOException ignored) {
                // the original failure matters
            }
            if (e instanceof IOException io) {
                throw CairnException.invalid("The bundle cannot be read: " + io.getMessage());
            }
            throw (RuntimeException) e;
        }
    }

    private static JsonNode readManifest(ZipFile zip) throws IOException {
        ZipEntry e = zip.getEntry(BundleFormat.MANIFEST);
        if (e == null) {
            throw bad(BundleFormat.MANIFEST, "is missing");
        }
        JsonNode m;
        try (InputStream in = zip.getInputStream(e)) {
            m = BundleFormat.JSON.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw bad(BundleFormat.MANIFEST, "is not JSON");
        }
        if (m == null || !BundleFormat.FORMAT.equals(m.path("format").asText())) {
            throw bad(BundleFormat.MANIFEST, "does not name the format '" + BundleFormat.FORMAT + "'");
        }
        if (m.path("version").asInt(-1) != BundleFormat.VERSION) {
            throw bad(BundleFormat.MANIFEST, "has version " + m.path("version") + "; this Cairn reads version "
                    + BundleFormat.VERSION);
        }
        return m;
    }

    private void verify() throws IOException {
        Set<String> experimentIds = new HashSet<>();
        Set<String> runIds = new HashSet<>();
        Set<String> modelNames = new HashSet<>();
        check(BundleFormat.EXPERIMENTS, (n, i) -> {
            require(BundleFormat.EXPERIMENTS, i, n.path("id").isTextual() && n.path("name").isTextual()
                    && n.path("tags").isArray(), "id, name and tags");
            experimentIds.add(n.path("id").asText());
            experiments.add(n);
        });
        check(BundleFormat.RUNS, (n, i) -> {
            JsonNode info = n.path("info");
            require(BundleFormat.RUNS, i, info.path("run_id").isTextual()
                    && experimentIds.contains(info.path("experiment_id").asText())
                    && info.path("start_time").canConvertToLong(), "info.run_id, a bundled info.experiment_id "
                    + "and info.start_time");
            runIds.add(info.path("run_id").asText());
            runs.add(n);
        });
        check(BundleFormat.METRICS, (n, i) -> require(BundleFormat.METRICS, i,
                runIds.contains(n.path("run_id").asText()) && n.path("key").isTextual()
                        && (n.path("value").isNumber() || isNonFinite(n.path("value")))
                        && n.path("timestamp").isIntegralNumber() && n.path("step").isIntegralNumber(),
                "a bundled run_id, key, value, timestamp and step"));
        check(BundleFormat.ARTIFACTS, (n, i) -> {
            require(BundleFormat.ARTIFACTS, i, runIds.contains(n.path("run_id").asText())
                    && n.path("path").isTextual() && n.path("size").isIntegralNumber()
                    && n.path("sha256").isTextual(), "a bundled run_id, path, size and sha256");
            verifyFile(n.path("run_id").asText(), n.path("path").asText(), n.path("size").asLong(),
                    n.path("sha256").asText());
        });
        check(BundleFormat.MODELS, (n, i) -> {
            require(BundleFormat.MODELS, i, n.path("name").isTextual() && n.path("tags").isArray()
                    && n.path("aliases").isObject(), "name, tags and aliases");
            modelNames.add(n.path("name").asText());
            models.add(n);
        });
        check(BundleFormat.VERSIONS, (n, i) -> {
            require(BundleFormat.VERSIONS, i, modelNames.contains(n.path("model").asText())
                    && n.path("version").isIntegralNumber() && n.path("source").isTextual()
                    && n.path("tags").isArray(), "a bundled model, version, source and tags");
            versions.add(n);
        });
    }

    /** Reads one entry through, checking each line, then its line count and SHA-256 against bundle.json. */
    private void check(String entry, LineHandler handler) throws IOException {
        MessageDigest sha = BundleFormat.sha256();
        long lines = forEachLine(entry, sha, handler);
        JsonNode expected = manifest.path("entries").path(entry);
        if (lines != expected.path("lines").asLong(-1)
                || lines != manifest.path("counts").path(BundleFormat.kind(entry)).asLong(-1)) {
            throw bad(entry, "has " + lines + " lines, bundle.json counts " + expected.path("lines") + " ("
                    + BundleFormat.kind(entry) + ": " + manifest.path("counts").path(BundleFormat.kind(entry)) + ")");
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(expected.path("sha256").asText())) {
            throw bad(entry, "does not match its SHA-256 in bundle.json");
        }
    }

    /** Streams an entry's lines to {@code handler}; returns how many there were. */
    long forEachLine(String entry, LineHandler handler) throws IOException {
        return forEachLine(entry, null, handler);
    }

    private long forEachLine(String entry, MessageDigest sha, LineHandler handler) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw bad(entry, "is missing");
        }
        long count = 0;
        InputStream raw = zip.getInputStream(e);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                sha == null ? raw : new DigestInputStream(raw, sha), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                count++;
                JsonNode n;
                try {
                    n = BundleFormat.JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                    throw bad(entry, "line " + count + " is not JSON");
                }
                if (n == null || !n.isObject()) {
                    throw bad(entry, "line " + count + " is not a JSON object");
                }
                handler.line(n, count);
            }
        }
        return count;
    }

    private void verifyFile(String runId, String path, long size, String sha256) throws IOException {
        String name = BundleFormat.file(runId, path);
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw bad(name, "is missing");
        }
        MessageDigest sha = BundleFormat.sha256();
        long read = 0;
        try (InputStream in = zip.getInputStream(e)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                read += n;
                if (read > size) {
                    break;
                }
            }
        }
        if (read != size) {
            throw bad(name, "has " + (read > size ? "more than " : "") + read + " bytes, "
                    + BundleFormat.ARTIFACTS + " says " + size);
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(sha256)) {
            throw bad(name, "does not match its SHA-256 in " + BundleFormat.ARTIFACTS);
        }
    }

    /** A bundled file's bytes (verified when the bundle was opened). */
    InputStream file(String runId, String path) throws IOException {
        return zip.getInputStream(zip.getEntry(BundleFormat.file(runId, path)));
    }

    /** bundle.json's counts, in the fixed order of kinds. */
    Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        BundleFormat.KINDS.forEach(k -> out.put(k, manifest.path("counts").path(k).asLong()));
        return out;
    }

    static boolean isNonFinite(JsonNode v) {
        return v.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(v.asText());
    }

    private static void require(String entry, long line, boolean ok, String what) {
        if (!ok) {
            throw bad(entry, "line " + line + " lacks " + what);
        }
    }

    static CairnException bad(String entry, String what) {
        return CairnException.invalid("Invalid bundle: " + entry + " " + what);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
