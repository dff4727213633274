package dev.cairn.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * One HTTP POST of a delivery, signed as MLflow signs it: {@code X-MLflow-Delivery-Id}, a fresh
 * {@code X-MLflow-Timestamp} (Unix seconds) and, with a secret, {@code X-MLflow-Signature: v1,<base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}">}. The client connects only to addresses {@link UrlGuard} checked, through no proxy,
 * follows no redirect, and gives up after 5 s to connect and 10 s in all. Built on first use (config is read then).
 */
@ApplicationScoped
public class WebhookSender {

    /** What one send gave: the status (null when none came back), a bounded body, an error, the time taken. */
    public record Outcome(Integer status, String body, String error, long latencyMs) {
        public boolean success() {
            return status != null && status >= 200 && status < 300;
        }
    }

    static final int MAX_BODY_CHARS = 1000;
    private static final MediaType JSON = MediaType.get("application/json");

    @Inject WebhookConfig config;

    private volatile UrlGuard guard;
    private volatile OkHttpClient client;

    public UrlGuard guard() {
        if (guard == null) {
            guard = new UrlGuard(config.webhook().allowedSchemes(), config.webhook().allowPrivate());
        }
        return guard;
    }

    public Outcome send(String url, UUID deliveryId, String body, String secret) {
        long start = System.nanoTime();
        try {
            guard().check(url); // the scheme and an IP literal host (the resolver checks names on connect)
            long timestamp = System.currentTimeMillis() / 1000;
            Request.Builder request = new Request.Builder().url(url)
                    .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), JSON))
                    .header("Content-Type", "application/json")
                    .header("X-MLflow-Delivery-Id", deliveryId.toString())
                    .header("X-MLflow-Timestamp", String.valueOf(timestamp));
            if (secret != null) {
                request.header("X-MLflow-Signature", signature(secret, deliveryId.toString(), timestamp, body));
            }
            try (Response response = client().newCall(request.build()).execute()) {
                return new Outcome(response.code(), bounded(response.body()), null, millisSince(start));
            }
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(null, null, reason, millisSince(start));
        }
    }

    /** {@code v1,} and the base64 HMAC-SHA256 of {@code "{delivery_id}.{timestamp}.{body}"} keyed by the secret. */
    static String signature(String secret, String deliveryId, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((deliveryId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private OkHttpClient client() {
        if (client == null) {
            client = new OkHttpClient.Builder().dns(guard().dns()).proxy(Proxy.NO_PROXY)
                    .followRedirects(false).followSslRedirects(false).retryOnConnectionFailure(false)
                    .connectTimeout(Duration.ofSeconds(5)).callTimeout(Duration.ofSeconds(10)).build();
        }
        return client;
    }

    /** At most {@link #MAX_BODY_CHARS} characters of the answer (the rest is never read). */
    private static String bounded(ResponseBody body) throws IOException {
        if (body == null) {
            return "";
        }
        BufferedSource source = body.source();
        long limit = MAX_BODY_CHARS * 4L;
        source.request(limit); // buffers up to the limit, or to the end of a shorter body
        String text = source.getBuffer().readString(Math.min(limit, source.getBuffer().size()),
                StandardCharsets.UTF_8);
        return text.length() > MAX_BODY_CHARS ? text.substring(0, MAX_BODY_CHARS) : text;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
