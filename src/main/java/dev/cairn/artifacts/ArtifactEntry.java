package dev.cairn.artifacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An entry of a directory listing: a file with its size, or a sub-directory. */
public record ArtifactEntry(String path, boolean isDir, long size) {

    /** The immediate children of normalised directory {@code dir}, given every file under it (MLflow style). */
    public static List<ArtifactEntry> children(List<ArtifactFile> files, String dir) {
        Map<String, ArtifactEntry> entries = new LinkedHashMap<>();
        int cut = dir.isEmpty() ? 0 : dir.length() + 1;
        for (ArtifactFile f : files) {
            if (f.path().equals(dir)) {
                continue; // listing a file's own path lists nothing, as MLflow does
            }
            String rest = f.path().substring(cut);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                entries.put(f.path(), new ArtifactEntry(f.path(), false, f.size()));
            } else {
                String sub = f.path().substring(0, cut + slash);
                entries.putIfAbsent(sub, new ArtifactEntry(sub, true, 0));
            }
        }
        return new ArrayList<>(entries.values());
    }
}
