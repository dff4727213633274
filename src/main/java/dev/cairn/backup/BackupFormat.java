package dev.cairn.backup;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The backup file, version 1: a ZIP with {@code db/<table>.copy} (PostgreSQL {@code COPY} text format, tables in
 * foreign-key order), {@code objects/<key>} (each object's bytes under its store key) and, last,
 * {@code manifest.json}: {@code format}, {@code version}, {@code schema_version} (the Flyway level), start and end
 * times, {@code tables} ({@code rows} and the {@code sha256} of each table's data, in load order),
 * {@code sequences} (last values) and {@code objects} (count and bytes). Objects are verified against the SHA-256
 * their rows record, when written and when restored.
 */
final class BackupFormat {

    static final String FORMAT = "cairn-backup";
    static final int VERSION = 1;
    static final String MANIFEST = "manifest.json";
    static final String TABLES = "db/";
    static final String OBJECTS = "objects/";
    /** One JSON line per object: {@code key}, {@code sha256}, {@code size}. */
    static final String OBJECT_LIST = "objects.jsonl";

    private BackupFormat() {
    }

    static ObjectNode manifest(String schemaVersion, long startedAt) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("schema_version", schemaVersion);
        m.put("started_at", startedAt);
        return m;
    }

    static String tableEntry(String table) {
        return TABLES + table + ".copy";
    }

    static String objectEntry(String key) {
        return OBJECTS + key;
    }
}
