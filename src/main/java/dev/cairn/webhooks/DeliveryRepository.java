package dev.cairn.webhooks;

import dev.cairn.common.Jdbc;
import dev.cairn.common.JobQueue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL of the outbox ({@code webhook_deliveries}) and its attempt log ({@code webhook_attempts}). */
final class DeliveryRepository {

    /** A claimed delivery with what sending it needs. */
    record Claimed(UUID id, UUID webhookId, String payload, int attempts, String url, byte[] secret, String status) {
    }

    record Delivery(UUID id, UUID webhookId, String event, String state, int attempts, long nextAttemptAt,
                    String lastError, long createdAt, long updatedAt) {
    }

    record Attempt(UUID deliveryId, long attemptedAt, Integer statusCode, long latencyMs, String error) {
    }

    private DeliveryRepository() {
    }

    /** Pending deliveries (at most {@code cap}) and the earliest time one of them is due. */
    static JobQueue.Backlog backlog(Connection c, long now, int cap) throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*), min(due) FROM (SELECT next_attempt_at AS due FROM webhook_deliveries "
                + "WHERE state = 'PENDING' ORDER BY next_attempt_at LIMIT ?) d", rs -> JobQueue.Backlog
                .of(rs.getLong(1), rs.getObject(2, Long.class), now), cap).orElseThrow();
    }

    static void insert(Connection c, UUID id, UUID webhookId, String event, String payload, long now)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO webhook_deliveries (id, webhook_id, event, payload, state, attempts, "
                + "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)", id, webhookId,
                event, payload, now, now, now);
    }

    /**
     * Claims up to {@code limit} due deliveries: rows another worker holds are skipped (SKIP LOCKED), and each
     * claimed row's {@code next_attempt_at} moves {@code leaseMs} ahead, so after this short transaction commits no
     * other worker takes it while it is sent; if this worker dies, the lease ends and another sends it again.
     */
    static List<Claimed> claim(Connection c, long now, long leaseMs, int limit) throws SQLException {
        List<Claimed> claimed = Jdbc.query(c, "SELECT d.id, d.webhook_id, d.payload, d.attempts, w.url, "
                + "w.secret_ciphertext, w.status FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
                + "WHERE d.state = 'PENDING' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ? "
                + "FOR UPDATE OF d SKIP LOCKED", rs -> new Claimed(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getBytes(6),
                rs.getString(7)), now, limit);
        if (!claimed.isEmpty()) {
            Jdbc.update(c, "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ANY (?::uuid[])",
                    now + leaseMs, claimed.stream().map(d -> d.id().toString()).toArray(String[]::new));
        }
        return claimed;
    }

    static void attempt(Connection c, Attempt a) throws SQLException {
        Jdbc.update(c, "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, error) "
                + "VALUES (?, ?, ?, ?, ?)", a.deliveryId(), a.attemptedAt(), a.statusCode(), a.latencyMs(), a.error());
    }

    /** The outcome of an attempt: {@code state} SUCCEEDED, FAILED, or PENDING again at {@code nextAttemptAt}. */
    static void settle(Connection c, UUID id, String state, int attempts, long nextAttemptAt, String error, long now)
            throws SQLException {
        Jdbc.update(c, "UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
                + "updated_at = ? WHERE id = ?", state, attempts, nextAttemptAt, error, now, id);
    }

    static List<Delivery> page(Connection c, UUID webhookId, Long afterCreated, UUID afterId, int limit)
            throws SQLException {
        String columns = "SELECT id, webhook_id, event, state, attempts, next_attempt_at, last_error, created_at, "
                + "updated_at FROM webhook_deliveries WHERE webhook_id = ?";
        if (afterCreated == null) {
            return Jdbc.query(c, columns + " ORDER BY created_at DESC, id DESC LIMIT ?", DeliveryRepository::delivery,
                    webhookId, limit);
        }
        return Jdbc.query(c, columns + " AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?",
                DeliveryRepository::delivery, webhookId, afterCreated, afterId, limit);
    }

    static List<Attempt> attempts(Connection c, List<UUID> deliveryIds) throws SQLException {
        if (deliveryIds.isEmpty()) {
            return new ArrayList<>();
        }
        return Jdbc.query(c, "SELECT delivery_id, attempted_at, status_code, latency_ms, error FROM webhook_attempts "
                + "WHERE delivery_id = ANY (?::uuid[]) ORDER BY id", rs -> new Attempt(rs.getObject(1, UUID.class),
                rs.getLong(2), (Integer) rs.getObject(3), rs.getLong(4), rs.getString(5)),
                (Object) deliveryIds.stream().map(UUID::toString).toArray(String[]::new));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("webhook_id", UUID.class),
                rs.getString("event"), rs.getString("state"), rs.getInt("attempts"), rs.getLong("next_attempt_at"),
                rs.getString("last_error"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
