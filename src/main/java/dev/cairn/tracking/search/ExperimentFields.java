package dev.cairn.tracking.search;

import dev.cairn.common.search.Field.Kind;
import dev.cairn.common.search.Field.ValueType;
import dev.cairn.common.search.FilterExpr.Identifier;
import java.util.Map;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.SourceText;

/**
 * The experiment search vocabulary (MLflow {@code SearchExperimentsUtils}): prefixes {@code attribute.}
 * (singular only; {@code attributes.} is rejected as in MLflow), {@code tag.}/{@code tags.} or none.
 */
final class ExperimentFields {

    private static final Map<String, Field> FILTER_ATTRIBUTES = Map.of(
            "name", new Field(Kind.ATTRIBUTE, "name", ValueType.STRING, Field.STRING),
            "creation_time", new Field(Kind.ATTRIBUTE, "creation_time", ValueType.NUMBER, Field.NUMERIC),
            "last_update_time", new Field(Kind.ATTRIBUTE, "last_update_time", ValueType.NUMBER, Field.NUMERIC));

    private ExperimentFields() {
    }

    static Field resolveFilter(Identifier id, SourceText src) {
        if (isTag(id, src)) {
            return new Field(Kind.TAG, id.key(), ValueType.STRING, Field.KEY_VALUE);
        }
        Field field = FILTER_ATTRIBUTES.get(id.key());
        if (field == null) {
            throw src.error("unknown attribute '" + id.key() + "' " + SourceText.at(id.position())
                    + "; valid attributes are name, creation_time, last_update_time"
                    + (id.entity() == null ? " (use tags." + id.key() + " to search a tag)" : ""));
        }
        return field;
    }

    /** Order keys are attributes only: name, experiment_id, creation_time, last_update_time. */
    static String resolveOrderBy(Identifier id, SourceText src) {
        if (isTag(id, src)) {
            throw src.error("cannot order experiments by tags " + SourceText.at(id.position())
                    + "; order by name, experiment_id, creation_time or last_update_time");
        }
        String key = id.key();
        if (!key.equals("name") && !key.equals("experiment_id") && !key.equals("creation_time")
                && !key.equals("last_update_time")) {
            throw src.error("unknown attribute '" + key + "' " + SourceText.at(id.position())
                    + "; order by name, experiment_id, creation_time or last_update_time");
        }
        return key;
    }

    private static boolean isTag(Identifier id, SourceText src) {
        if (id.entity() == null || id.entity().equals("attribute")) {
            return false;
        }
        if (id.entity().equals("tag") || id.entity().equals("tags")) {
            return true;
        }
        throw src.error("unknown entity type '" + id.entity() + "' in '" + id.text() + "' "
                + SourceText.at(id.position()) + "; valid prefixes for experiments are attribute, tag, tags"
                + " (or none for an attribute)");
    }
}
