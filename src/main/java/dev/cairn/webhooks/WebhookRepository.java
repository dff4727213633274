package dev.cairn.webhooks;

import dev.cairn.common.Jdbc;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of the {@code webhooks} table. */
final class WebhookRepository {

    /** One webhook row; {@code modelIds} null for a global webhook, {@code secret} the ciphertext or null. */
    record Row(UUID id, String name, String description, String url, List<String> events, String status,
               byte[] secret, List<Long> modelIds, String creator, int consecutiveFailures, long createdAt,
               long updatedAt) {
    }

    private static final String COLUMNS = "id, name, description, url, events, status, secret_ciphertext, model_ids, "
            + "creator, consecutive_failures, created_at, updated_at";

    private WebhookRepository() {
    }

    static void insert(Connection c, Row r) throws SQLException {
        Jdbc.update(c, "INSERT INTO webhooks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)", r.id(),
                r.name(), r.description(), r.url(), r.events().toArray(String[]::new), r.status(), r.secret(),
                ids(r.modelIds()), r.creator(), r.createdAt(), r.updatedAt());
    }

    static Optional<Row> find(Connection c, UUID id) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM webhooks WHERE id = ?", WebhookRepository::row, id);
    }

    /** The row locked for a change. */
    static Optional<Row> lock(Connection c, UUID id) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM webhooks WHERE id = ? FOR UPDATE", WebhookRepository::row,
                id);
    }

    /** Newest first, after the keyset ({@code createdAt}, {@code id}) when given; scoped ones only if asked. */
    static List<Row> page(Connection c, Long afterCreated, UUID afterId, int limit, boolean scopedOnly)
            throws SQLException {
        String scope = scopedOnly ? " AND model_ids IS NOT NULL" : "";
        if (afterCreated == null) {
            return Jdbc.query(c, "SELECT " + COLUMNS + " FROM webhooks WHERE true" + scope
                    + " ORDER BY created_at DESC, id DESC LIMIT ?", WebhookRepository::row, limit);
        }
        return Jdbc.query(c, "SELECT " + COLUMNS + " FROM webhooks WHERE (created_at, id) < (?, ?)" + scope
                + " ORDER BY created_at DESC, id DESC LIMIT ?", WebhookRepository::row, afterCreated, afterId, limit);
    }

    static void update(Connection c, Row r) throws SQLException {
        Jdbc.update(c, "UPDATE webhooks SET name = ?, description = ?, url = ?, events = ?, status = ?, "
                + "secret_ciphertext = ?, model_ids = ?, consecutive_failures = ?, updated_at = ? WHERE id = ?",
                r.name(), r.description(), r.url(), r.events().toArray(String[]::new), r.status(), r.secret(),
                ids(r.modelIds()), r.consecutiveFailures(), r.updatedAt(), r.id());
    }

    static boolean delete(Connection c, UUID id) throws SQLException {
        return Jdbc.update(c, "DELETE FROM webhooks WHERE id = ?", id) > 0;
    }

    /** The active webhooks subscribed to {@code event} whose scope holds {@code modelId} (or is global). */
    static List<UUID> subscribers(Connection c, String event, Long modelId) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM webhooks WHERE status = 'ACTIVE' AND events @> ? "
                + "AND (model_ids IS NULL OR ?::bigint = ANY (model_ids))", rs -> rs.getObject(1, UUID.class),
                new String[] {event}, modelId);
    }

    static boolean anyWithSecret(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT 1 FROM webhooks WHERE secret_ciphertext IS NOT NULL LIMIT 1", rs -> true)
                .isPresent();
    }

    /** A delivery succeeded: the failure streak ends. */
    static void resetFailures(Connection c, UUID id) throws SQLException {
        Jdbc.update(c, "UPDATE webhooks SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures <> 0", id);
    }

    /** A delivery exhausted its attempts; the webhook is disabled at {@code disableAfter}. True if it was. */
    static boolean countFailure(Connection c, UUID id, int disableAfter, long now) throws SQLException {
        return Jdbc.queryOne(c, "UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, "
                + "status = CASE WHEN consecutive_failures + 1 >= ? THEN 'DISABLED' ELSE status END, "
                + "updated_at = CASE WHEN consecutive_failures + 1 >= ? AND status = 'ACTIVE' THEN ? ELSE updated_at END"
                + " WHERE id = ? RETURNING consecutive_failures >= ? AND status = 'DISABLED'",
                rs -> rs.getBoolean(1), disableAfter, disableAfter, now, id, disableAfter).orElse(false);
    }

    private static Row row(ResultSet rs) throws SQLException {
        Array models = rs.getArray("model_ids");
        return new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("description"),
                rs.getString("url"), Arrays.asList((String[]) rs.getArray("events").getArray()), rs.getString("status"),
                rs.getBytes("secret_ciphertext"), models == null ? null : Arrays.asList((Long[]) models.getArray()),
                rs.getString("creator"), rs.getInt("consecutive_failures"), rs.getLong("created_at"),
                rs.getLong("updated_at"));
    }

    private static Long[] ids(List<Long> modelIds) {
        return modelIds == null ? null : modelIds.toArray(Long[]::new);
    }
}
