package dev.cairn.registry.search;

import dev.cairn.common.search.Field.Kind;
import dev.cairn.common.search.Field.ValueType;
import dev.cairn.common.search.FilterExpr.Identifier;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.SourceText;

/**
 * The registered-model search vocabulary (MLflow {@code SearchModelUtils}): prefixes {@code attribute.}
 * (singular only, as in MLflow), {@code tag.}/{@code tags.} or none; the only filterable attribute is name.
 */
final class RegisteredModelFields {

    private static final Field NAME = new Field(Kind.ATTRIBUTE, "name", ValueType.STRING, Field.STRING);

    private RegisteredModelFields() {
    }

    static Field resolveFilter(Identifier id, SourceText src) {
        if (isTag(id, src)) {
            // MLflow's registry accepts only = != LIKE ILIKE on tags (no IN / IS NULL extensions here).
            return new Field(Kind.TAG, id.key(), ValueType.STRING, Field.STRING);
        }
        if (!id.key().equals("name")) {
            throw src.error("unknown attribute '" + id.key() + "' " + SourceText.at(id.position())
                    + "; the only valid attribute is name"
                    + (id.entity() == null ? " (use tags." + id.key() + " to search a tag)" : ""));
        }
        return NAME;
    }

    /**
     * Order keys: name, timestamp, last_updated_timestamp. Both timestamp keys mean last_updated_time, as in
     * MLflow's SQL store; creation_timestamp is rejected there too.
     */
    static String resolveOrderBy(Identifier id, SourceText src) {
        if (isTag(id, src)) {
            throw src.error("cannot order registered models by tags " + SourceText.at(id.position())
                    + "; order by name, timestamp or last_updated_timestamp");
        }
        return switch (id.key()) {
            case "name" -> "name";
            case "timestamp", "last_updated_timestamp" -> "last_updated_time";
            default -> throw src.error("unknown attribute '" + id.key() + "' " + SourceText.at(id.position())
                    + "; order by name, timestamp or last_updated_timestamp");
        };
    }

    static boolean isTag(Identifier id, SourceText src) {
        if (id.entity() == null || id.entity().equals("attribute")) {
            return false;
        }
        if (id.entity().equals("tag") || id.entity().equals("tags")) {
            return true;
        }
        throw src.error("unknown entity type '" + id.entity() + "' in '" + id.text() + "' "
                + SourceText.at(id.position()) + "; valid prefixes for registered models are attribute, tag, tags"
                + " (or none for an attribute)");
    }
}
