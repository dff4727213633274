package dev.cairn.tracking.runs;

import java.util.List;
import dev.cairn.common.KeyValue;

/** A dataset used by a run, with the input's tags (e.g. {@code mlflow.data.context}). */
public record DatasetInput(Dataset dataset, List<KeyValue> tags) {

    /** Dataset identity within an experiment is (name, digest). */
    public record Dataset(String name, String digest, String sourceType, String source, String schema,
                          String profile) {
    }
}
