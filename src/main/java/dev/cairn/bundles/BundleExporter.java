package dev.cairn.bundles;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.artifacts.ArtifactDownloads;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.common.KeyValue;
import dev.cairn.mlflow.MlflowJson;
import dev.cairn.registry.DeploymentService;
import dev.cairn.registry.ModelVersionView;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.RegisteredModelService;
import dev.cairn.registry.RegisteredModelView;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.ExperimentService.ExperimentDetails;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.metrics.MetricHistory;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.metrics.MetricReadService;
import dev.cairn.tracking.runs.RunDetails;
import dev.cairn.tracking.runs.RunReadService;
import dev.cairn.tracking.search.ViewType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a bundle: {@link #plan} resolves the names first (so an unknown one is a 4xx before any byte is sent), then
 * {@link #write} streams the entries, reading through the tracking, artifact and registry services.
 */
@ApplicationScoped
class BundleExporter {

    static final int HISTORY_PAGE = 25_000;
    static final int RUN_PAGE = 1000;
    static final int MAX_VERSIONS = 100_000;

    @Inject ExperimentService experiments;

    @Inject RunReadService runReads;

    @Inject RunLookup runLookup;

    @Inject MetricReadService metrics;

    @Inject ArtifactService artifacts;

    @Inject ArtifactDownloads downloads;

    @Inject RegisteredModelService models;

    @Inject ModelVersionService versions;

    @Inject DeploymentService deployments;

    /** What a bundle holds: experiments by id, run ids, models with their live versions (oldest first). */
    record Plan(BundleRequest request, Map<Long, ExperimentDetails> experiments, Set<String> runIds,
                List<RegisteredModelView> models, Map<String, List<ModelVersionView>> versions) {
    }

    Plan plan(BundleRequest request) {
        Map<Long, ExperimentDetails> exps = new LinkedHashMap<>();
        Set<String> runIds = new LinkedHashSet<>();
        for (String name : request.experiments()) {
            ExperimentDetails d = experiments.getByName(name).orElseThrow(() -> CairnException.notFound(
                    "No experiment named '" + name + "'"));
            exps.put(d.experiment().id, d);
            String token = null;
            do {
                RunReadService.Page page = runReads.search(List.of(String.valueOf(d.experiment().id)), null,
                        ViewType.ACTIVE_ONLY, RUN_PAGE, List.of("attributes.start_time ASC"), token);
                for (RunDetails r : page.runs()) {
                    if (request.inWindow(r.run().startTime)) {
                        runIds.add(r.run().runUuid);
                    }
                }
                token = page.nextPageToken();
            } while (token != null && !token.isEmpty());
        }
        List<RegisteredModelView> ms = new ArrayList<>();
        Map<String, List<ModelVersionView>> vs = new LinkedHashMap<>();
        for (String name : request.models()) {
            RegisteredModelView m = models.get(name);
            ms.add(m);
            List<ModelVersionView> live = new ArrayList<>(versions.versionsOf(name, MAX_VERSIONS));
            live.sort((a, b) -> Integer.compare(a.version(), b.version()));
            vs.put(name, live);
            for (ModelVersionView v : live) {
                // A version's source run travels with it, whatever experiment it is in.
                if (v.runId() != null && !v.runId().isEmpty() && runLookup.find(v.runId()).isPresent()
                        && runIds.add(v.runId())) {
                    long exp = runLookup.require(v.runId()).experimentId();
                    exps.computeIfAbsent(exp, id -> experiments.get(String.valueOf(id)));
                }
            }
        }
        return new Plan(request, exps, runIds, ms, vs);
    }

    /** One JSON Lines entry being written: its lines are counted and its bytes hashed for bundle.json. */
    private static final class Entry {
        final MessageDigest sha = BundleFormat.sha256();
        long lines;
    }

    void write(Plan plan, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        Map<String, Entry> written = new LinkedHashMap<>();
        List<RunDetails> runs = runReads.byUuids(List.copyOf(plan.runIds()));

        Entry e = begin(zip, written, BundleFormat.EXPERIMENTS);
        for (ExperimentDetails d : plan.experiments().values()) {
            ObjectNode n = BundleFormat.JSON.createObjectNode();
            n.put("id", String.valueOf(d.experiment().id));
            n.put("name", d.experiment().name);
            n.put("creation_time", d.experiment().creationTime);
            keyValues(n.putArray("tags"), d.tags());
            line(zip, e, n);
        }

        e = begin(zip, written, BundleFormat.RUNS);
        for (RunDetails r : runs) {
            line(zip, e, MlflowJson.run(r));
        }

        e = begin(zip, written, BundleFormat.METRICS);
        for (RunDetails r : runs) {
            for (MetricPoint latest : r.latestMetrics()) {
                writeHistory(zip, e, r.run().runUuid, latest.key());
            }
        }

        Map<String, List<ArtifactFile>> files = new LinkedHashMap<>();
        e = begin(zip, written, BundleFormat.ARTIFACTS);
        for (RunDetails r : runs) {
            List<ArtifactFile> list = artifacts.filesUnder(r.run().ref(), "");
            files.put(r.run().runUuid, list);
            for (ArtifactFile f : list) {
                ObjectNode n = BundleFormat.JSON.createObjectNode();
                n.put("run_id", r.run().runUuid);
                n.put("path", f.path());
                n.put("size", f.size());
                n.put("sha256", f.sha256());
                line(zip, e, n);
            }
        }
        zip.closeEntry();
        for (Map.Entry<String, List<ArtifactFile>> run : files.entrySet()) {
            for (ArtifactFile f : run.getValue()) {
                writeFile(zip, run.getKey(), f);
            }
        }

        e = begin(zip, written, BundleFormat.MODELS);
        for (RegisteredModelView m : plan.models()) {
            ObjectNode n = BundleFormat.JSON.createObjectNode();
            n.put("name", m.name());
            n.put("description", m.description() == null ? "" : m.description());
            keyValues(n.putArray("tags"), m.tags());
            ObjectNode aliases = n.putObject("aliases");
            m.aliases().forEach(aliases::put);
            line(zip, e, n);
        }

        e = begin(zip, written, BundleFormat.VERSIONS);
        for (Map.Entry<String, List<ModelVersionView>> m : plan.versions().entrySet()) {
            for (ModelVersionView v : m.getValue()) {
                line(zip, e, version(m.getKey(), v));
            }
        }
        zip.closeEntry();

        zip.putNextEntry(new ZipEntry(BundleFormat.MANIFEST));
        zip.write(BundleFormat.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest(plan, written)));
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    private ObjectNode version(String model, ModelVersionView v) {
        ObjectNode n = BundleFormat.JSON.createObjectNode();
        n.put("model", model);
        n.put("version", v.version());
        n.put("stage", v.stage().wire());
        n.put("creation_timestamp", v.creationTime());
        n.put("last_updated_timestamp", v.lastUpdatedTime());
        n.put("description", v.description() == null ? "" : v.description());
        keyValues(n.putArray("tags"), v.tags());
        n.put("run_id", v.runId() == null ? "" : v.runId());
        n.put("source", v.source());
        n.put("run_link", v.runLink() == null ? "" : v.runLink());
        n.put("manifest_digest", v.manifestDigest());
        ArrayNode pinned = n.putArray("files");
        for (ArtifactFile f : deployments.resolveVersion(model, String.valueOf(v.version())).files()) {
            pinned.addObject().put("path", f.path()).put("size", f.size()).put("sha256", f.sha256());
        }
        return n;
    }

    private static ObjectNode manifest(Plan plan, Map<String, Entry> written) {
        ObjectNode n = BundleFormat.JSON.createObjectNode();
        n.put("format", BundleFormat.FORMAT);
        n.put("version", BundleFormat.VERSION);
        n.put("created_at", System.currentTimeMillis());
        n.set("request", plan.request().toJson());
        ObjectNode counts = n.putObject("counts");
        ObjectNode entries = n.putObject("entries");
        for (String name : BundleFormat.ENTRIES) {
            Entry e = written.get(name);
            counts.put(BundleFormat.kind(name), e.lines);
            entries.putObject(name).put("lines", e.lines).put("sha256", HexFormat.of().formatHex(e.sha.digest()));
        }
        return n;
    }

    private void writeHistory(ZipOutputStream zip, Entry e, String runId, String key) throws IOException {
        MetricHistory.Cursor after = null;
        do {
            MetricHistory h = metrics.history(runId, key, after, HISTORY_PAGE);
            for (int i = 0; i < h.size(); i++) {
                ObjectNode n = BundleFormat.JSON.createObjectNode();
                n.put("run_id", runId);
                n.put("key", key);
                n.put("value", h.values()[i]);
                n.put("timestamp", h.timestamps()[i]);
                n.put("step", h.steps()[i]);
                line(zip, e, n);
            }
            after = h.next();
        } while (after != null);
    }

    /** A file's bytes, checked against the SHA-256 recorded when it was stored. */
    private void writeFile(ZipOutputStream zip, String runId, ArtifactFile f) throws IOException {
        zip.putNextEntry(new ZipEntry(BundleFormat.file(runId, f.path())));
        MessageDigest sha = BundleFormat.sha256();
        try (InputStream in = downloads.stream(downloads.open(f, null))) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                zip.write(buf, 0, n);
            }
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(f.sha256())) {
            throw new IOException("Stored file " + runId + "/" + f.path() + " does not match its SHA-256");
        }
        zip.closeEntry();
    }

    private static Entry begin(ZipOutputStream zip, Map<String, Entry> written, String name) throws IOException {
        if (!written.isEmpty()) {
            zip.closeEntry();
        }
        zip.putNextEntry(new ZipEntry(name));
        Entry e = new Entry();
        written.put(name, e);
        return e;
    }

    private static void line(ZipOutputStream zip, Entry e, ObjectNode n) throws IOException {
        byte[] bytes = BundleFormat.JSON.writeValueAsBytes(n);
        zip.write(bytes);
        zip.write('\n');
        e.sha.update(bytes);
        e.sha.update((byte) '\n');
        e.lines++;
    }

    private static void keyValues(ArrayNode into, List<KeyValue> kvs) {
        for (KeyValue kv : kvs) {
            into.addObject().put("key", kv.key()).put("value", kv.value());
        }
    }
}
