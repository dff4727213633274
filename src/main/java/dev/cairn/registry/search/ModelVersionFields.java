package dev.cairn.registry.search;

import dev.cairn.common.search.Field.Kind;
import dev.cairn.common.search.Field.ValueType;
import dev.cairn.common.search.FilterExpr.Identifier;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.SourceText;

/**
 * The model-version search vocabulary (MLflow {@code SearchModelVersionUtils}): attributes {@code name},
 * {@code source_path}, {@code run_id} (also IN) and the numeric {@code version_number}; tags with
 * {@code = != LIKE ILIKE}. Prefixes {@code attribute.}, {@code tag.}/{@code tags.} or none.
 */
final class ModelVersionFields {

    private ModelVersionFields() {
    }

    static Field resolveFilter(Identifier id, SourceText src) {
        if (isTag(id, src)) {
            return new Field(Kind.TAG, id.key(), ValueType.STRING, Field.STRING);
        }
        return switch (id.key()) {
            case "name" -> new Field(Kind.ATTRIBUTE, "name", ValueType.STRING, Field.STRING);
            case "source_path" -> new Field(Kind.ATTRIBUTE, "source_path", ValueType.STRING, Field.STRING);
            case "run_id" -> new Field(Kind.ATTRIBUTE, "run_id", ValueType.STRING, Field.STRING_OR_LIST);
            case "version_number" -> new Field(Kind.ATTRIBUTE, "version_number", ValueType.NUMBER, Field.NUMERIC);
            default -> throw src.error("unknown attribute '" + id.key() + "' " + SourceText.at(id.position())
                    + "; valid attributes are name, source_path, run_id, version_number"
                    + (id.entity() == null ? " (use tags." + id.key() + " to search a tag)" : ""));
        };
    }

    /** Order keys: name, version_number, creation_timestamp, last_updated_timestamp (plus MLflow's aliases). */
    static String resolveOrderBy(Identifier id, SourceText src) {
        if (isTag(id, src)) {
            throw src.error("cannot order model versions by tags " + SourceText.at(id.position())
                    + "; order by name, version_number, creation_timestamp or last_updated_timestamp");
        }
        return switch (id.key()) {
            case "name" -> "name";
            case "version_number", "version" -> "version";
            case "creation_timestamp", "creation_time" -> "creation_time";
            case "last_updated_timestamp", "last_updated_time", "timestamp" -> "last_updated_time";
            default -> throw src.error("unknown attribute '" + id.key() + "' " + SourceText.at(id.position())
                    + "; order by name, version_number, creation_timestamp or last_updated_timestamp");
        };
    }

    static boolean isTag(Identifier id, SourceText src) {
        if (id.entity() == null || id.entity().equals("attribute") || id.entity().equals("attributes")) {
            return false;
        }
        if (id.entity().equals("tag") || id.entity().equals("tags")) {
            return true;
        }
        throw src.error("unknown entity type '" + id.entity() + "' in '" + id.text() + "' "
                + SourceText.at(id.position()) + "; valid prefixes for model versions are attribute, tag, tags"
                + " (or none for an attribute)");
    }
}
