package dev.cairn.registry;

/**
 * What the append-only registry history records: the actions, a change to record, and an entry as read back.
 * {@link AuditRepository} stores and reads them; {@link RegistryHistory} answers questions about them.
 */
public final class RegistryAudit {

    /** What happened; stable names, part of the native API. */
    public enum Action {
        MODEL_CREATED, MODEL_RENAMED, MODEL_DESCRIPTION_UPDATED, MODEL_TAG_SET, MODEL_TAG_DELETED, MODEL_DELETED,
        VERSION_CREATED, VERSION_DESCRIPTION_UPDATED, VERSION_TAG_SET, VERSION_TAG_DELETED, STAGE_CHANGED,
        VERSION_DELETED, ALIAS_SET, ALIAS_DELETED
    }

    /**
     * One recorded change: {@code version} is the version concerned (null for model-level changes), {@code alias}
     * the alias an ALIAS_* change moved, and {@code before}/{@code after} the values it changed (stage names, alias
     * targets, descriptions, {@code key=value} tags, names).
     */
    public record Entry(long id, String modelName, Integer version, String alias, Action action, String actor,
                        long time, String before, String after, String comment) {
    }

    /** A change to record; build with the static helpers and chain the optional parts. */
    public record Change(Action action, Integer version, String before, String after, String comment, String stage,
                         String alias) {
        public Change comment(String c) {
            return new Change(action, version, before, after, c == null || c.isBlank() ? null : c, stage, alias);
        }
    }

    private RegistryAudit() {
    }

    public static Change change(Action action, Integer version, String before, String after) {
        return new Change(action, version, before, after, null, null, null);
    }

    public static Change stage(Action action, int version, String before, String after) {
        return new Change(action, version, before, after, null, after, null);
    }

    /** A tag set on a model ({@code version} null) or a version; {@code before} is its old value, null if new. */
    public static Change tagSet(Action action, Integer version, String key, String before, String value) {
        return change(action, version, before == null ? null : key + "=" + before, key + "=" + value);
    }

    /** A tag removed from a model ({@code version} null) or a version. */
    public static Change tagDeleted(Action action, Integer version, String key, String before) {
        return change(action, version, key + "=" + before, null);
    }

    /** An alias move: {@code version} is where it points now, null when removed. */
    public static Change alias(Action action, String alias, Integer before, Integer version) {
        return new Change(action, version, before == null ? null : before.toString(),
                version == null ? null : version.toString(), null, null, alias);
    }
}
