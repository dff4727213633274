package dev.cairn.monitoring.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.ArtifactDownloads;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * A version's baseline as its source run logged it: the artifact {@value #PATH}, in the format of the baseline
 * route. Read outside any transaction (it streams from the object store).
 */
@ApplicationScoped
class ArtifactBaseline {

    static final String PATH = "monitoring/baseline.json";

    /** Larger files are refused rather than read into memory. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    @Inject RunLookup runs;

    @Inject ArtifactService artifacts;

    @Inject ArtifactDownloads downloads;

    @Inject ObjectMapper json;

    /** The parsed baseline, or empty when the version has no source run or the run has no such artifact. */
    Optional<Map<String, FeatureProfile>> read(String runId) {
        if (runId == null || runId.isEmpty()) {
            return Optional.empty();
        }
        Optional<RunRef> run = runs.find(runId);
        Optional<ArtifactFile> file = run.flatMap(r -> artifacts.file(r, PATH));
        if (file.isEmpty()) {
            return Optional.empty();
        }
        if (file.get().size() > MAX_BYTES) {
            throw CairnException.invalid("The baseline artifact " + PATH + " of run " + runId + " has "
                    + file.get().size() + " bytes; at most " + MAX_BYTES);
        }
        JsonNode doc;
        try (InputStream in = downloads.stream(downloads.open(file.get(), null))) {
            doc = json.readTree(in);
        } catch (IOException e) {
            throw CairnException.invalid("The baseline artifact " + PATH + " of run " + runId
                    + " is not valid JSON");
        }
        try {
            return Optional.of(ProfileInput.baseline(doc));
        } catch (CairnException e) {
            throw CairnException.invalid("The baseline artifact " + PATH + " of run " + runId + ": "
                    + e.getMessage());
        }
    }
}
