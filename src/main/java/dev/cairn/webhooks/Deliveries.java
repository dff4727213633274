package dev.cairn.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.common.Jdbc;
import dev.cairn.webhooks.DeliveryRepository.Attempt;
import dev.cairn.webhooks.DeliveryRepository.Claimed;
import dev.cairn.webhooks.DeliveryRepository.Delivery;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Sending the outbox, safe with several replicas: a short transaction claims one due delivery (SKIP LOCKED, a lease
 * on {@code next_attempt_at}), the POST happens outside any transaction, and a second short transaction records
 * the attempt and the outcome. At least once: a worker that dies mid-send leaves the lease to expire and the
 * delivery is sent again, with the same delivery id. Failures retry after {@code base × 3^(n-1)} with ±25% jitter;
 * after the last attempt the delivery is FAILED, and that many FAILED deliveries in a row disable the webhook.
 */
@ApplicationScoped
public class Deliveries {

    private static final Logger LOG = Logger.getLogger(Deliveries.class);

    /** Longer than a send can take (10 s), so a live worker never loses its claim. */
    static final long LEASE_MS = 60_000;
    static final int MAX_ERROR = 1000;

    /** One attempt of a delivery: the status answered (null if none), how long it took, the error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptInfo(@JsonProperty("attempted_at") long attemptedAt,
                              @JsonProperty("status_code") Integer statusCode,
                              @JsonProperty("latency_ms") long latencyMs, String error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveryInfo(@JsonProperty("delivery_id") String id, String event, String state,
                               @JsonProperty("attempt_count") int attemptCount,
                               @JsonProperty("next_attempt_at") Long nextAttemptAt,
                               @JsonProperty("last_error") String lastError,
                               @JsonProperty("created_at") long createdAt,
                               @JsonProperty("updated_at") long updatedAt, List<AttemptInfo> attempts) {
    }

    public record Page(List<DeliveryInfo> deliveries, String nextPageToken) {
    }

    @Inject AgroalDataSource dataSource;

    @Inject WebhookSender sender;

    @Inject SecretBox secrets;

    @Inject WebhookConfig config;

    @Inject WebhookService webhooks;

    /** Sends due deliveries until none is left or {@code max} were sent; how many were. */
    public int sendDue(int max) {
        int sent = 0;
        while (sent < max) {
            Optional<Claimed> next = Jdbc.inNewTransaction(dataSource, c -> DeliveryRepository.claim(c,
                    System.currentTimeMillis(), LEASE_MS, 1)).stream().findFirst();
            if (next.isEmpty()) {
                break;
            }
            deliver(next.get());
            sent++;
        }
        return sent;
    }

    private void deliver(Claimed d) {
        if (!d.status().equals("ACTIVE")) {
            settle(d, "FAILED", d.attempts(), 0, "the webhook is disabled", null);
            return;
        }
        WebhookSender.Outcome outcome;
        try {
            String secret = d.secret() == null ? null : secrets.open(d.secret());
            outcome = sender.send(d.url(), d.id(), d.payload(), secret);
        } catch (RuntimeException e) {
            outcome = new WebhookSender.Outcome(null, null, e.getMessage(), 0);
        }
        int attempts = d.attempts() + 1;
        long now = System.currentTimeMillis();
        String error = outcome.success() ? null : outcome.error() != null ? outcome.error()
                : "HTTP " + outcome.status();
        Attempt attempt = new Attempt(d.id(), now, outcome.status(), outcome.latencyMs(), clip(error));
        if (outcome.success()) {
            settle(d, "SUCCEEDED", attempts, now, null, attempt);
        } else if (attempts >= config.webhook().maxAttempts()) {
            settle(d, "FAILED", attempts, now, error, attempt);
        } else {
            settle(d, "PENDING", attempts, now + backoff(attempts), error, attempt);
        }
    }

    private void settle(Claimed d, String state, int attempts, long nextAt, String error, Attempt attempt) {
        boolean disabled = Jdbc.inNewTransaction(dataSource, c -> {
            if (attempt != null) {
                DeliveryRepository.attempt(c, attempt);
            }
            DeliveryRepository.settle(c, d.id(), state, attempts, nextAt, clip(error), System.currentTimeMillis());
            if (state.equals("SUCCEEDED")) {
                WebhookRepository.resetFailures(c, d.webhookId());
            } else if (state.equals("FAILED") && attempt != null) {
                return WebhookRepository.countFailure(c, d.webhookId(), config.webhook().disableAfter(),
                        System.currentTimeMillis());
            }
            return false;
        });
        if (disabled) {
            LOG.warnf("Webhook %s disabled after %d failed deliveries in a row", d.webhookId(),
                    config.webhook().disableAfter());
        }
    }

    /** The delay before attempt {@code attempts + 1}: base × 3^(attempts-1), jittered by ±25%. */
    long backoff(int attempts) {
        double delay = config.webhook().retryBase().toMillis() * Math.pow(3, attempts - 1);
        return (long) (delay * ThreadLocalRandom.current().nextDouble(0.75, 1.25));
    }

    /** A webhook's deliveries, newest first, each with its attempts (the caller must manage the webhook). */
    public Page page(String webhookId, int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > WebhookService.MAX_RESULTS) {
            throw dev.cairn.common.CairnException.invalid("max_results must be between 1 and "
                    + WebhookService.MAX_RESULTS);
        }
        UUID id = webhooks.readable(webhookId).id();
        Keyset after = Keyset.parse(pageToken);
        return Jdbc.call(dataSource, c -> {
            List<Delivery> rows = new ArrayList<>(DeliveryRepository.page(c, id, after == null ? null
                    : after.createdAt(), after == null ? null : after.id(), maxResults + 1));
            String next = null;
            if (rows.size() > maxResults) {
                rows = rows.subList(0, maxResults);
                Delivery last = rows.get(maxResults - 1);
                next = new Keyset(last.createdAt(), last.id()).token();
            }
            Map<UUID, List<Attempt>> attempts = DeliveryRepository.attempts(c, rows.stream().map(Delivery::id)
                    .toList()).stream().collect(Collectors.groupingBy(Attempt::deliveryId));
            return new Page(rows.stream().map(d -> info(d, attempts.getOrDefault(d.id(), List.of()))).toList(),
                    next);
        });
    }

    private static DeliveryInfo info(Delivery d, List<Attempt> attempts) {
        return new DeliveryInfo(d.id().toString(), d.event(), d.state(), d.attempts(),
                d.state().equals("PENDING") ? d.nextAttemptAt() : null, d.lastError(), d.createdAt(), d.updatedAt(),
                attempts.stream().map(a -> new AttemptInfo(a.attemptedAt(), a.statusCode(), a.latencyMs(), a.error()))
                        .toList());
    }

    private static String clip(String s) {
        return s != null && s.length() > MAX_ERROR ? s.substring(0, MAX_ERROR) : s;
    }
}
