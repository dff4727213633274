package dev.cairn.webhooks;

import dev.cairn.access.AccessPolicy;
import dev.cairn.access.Permission;
import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Principal;
import dev.cairn.registry.ModelLookup;
import dev.cairn.webhooks.WebhookRepository.Row;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Webhook subscriptions: validation (MLflow's rules plus URL safety), the secret sealed at rest, and who may manage
 * what — global webhooks admins only (as MLflow), a webhook scoped to models anyone holding MANAGE on each of them.
 * Local single-user mode and server code may do everything.
 */
@ApplicationScoped
public class WebhookService {

    public static final int DEFAULT_MAX_RESULTS = 100;
    public static final int MAX_RESULTS = 1000;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    static final int MAX_DESCRIPTION = 1000;
    static final int MAX_URL = 2048;

    /** A new webhook; {@code modelNames} empty for a global one, {@code status} null for ACTIVE. */
    public record Create(String name, String description, String url, List<String> events, String secret,
                         String status, List<String> modelNames) {
    }

    /** A change; null fields stay as they are ({@code secret} "" removes it, {@code modelNames} empty = global). */
    public record Update(String name, String description, String url, List<String> events, String secret,
                         String status, List<String> modelNames) {
    }

    /** What the APIs answer (never the secret, only whether one is set). */
    public record WebhookView(UUID id, String name, String description, String url, List<String> events,
                              String status, List<String> modelNames, boolean signed, long createdAt,
                              long updatedAt) {
    }

    public record Page(List<WebhookView> webhooks, String nextPageToken) {
    }

    @Inject AgroalDataSource dataSource;

    @Inject Caller caller;

    @Inject AccessPolicy policy;

    @Inject ModelLookup models;

    @Inject SecretBox secrets;

    @Inject WebhookSender sender;

    @Transactional
    public WebhookView create(Create cmd) {
        // The request's own validity first (400), then who may (403), then the URL (it resolves the host).
        String name = name(cmd.name());
        String description = description(cmd.description());
        List<String> events = events(cmd.events());
        String status = status(cmd.status() == null ? "ACTIVE" : cmd.status());
        List<Long> scope = scope(cmd.modelNames());
        requireManage(scope);
        String url = url(cmd.url());
        byte[] secret = cmd.secret() == null || cmd.secret().isEmpty() ? null : secrets.seal(cmd.secret());
        long now = System.currentTimeMillis();
        Row row = new Row(UUID.randomUUID(), name, description, url, events, status, secret, scope,
                caller.auditName(), 0, now, now);
        Jdbc.run(dataSource, c -> WebhookRepository.insert(c, row));
        return view(row);
    }

    public WebhookView get(String id) {
        Row row = find(id);
        requireManage(row.modelIds());
        return view(row);
    }

    @Transactional
    public WebhookView update(String id, Update u) {
        UUID key = parse(id);
        Row old = Jdbc.call(dataSource, c -> WebhookRepository.lock(c, key)).orElseThrow(() -> notFound(id));
        requireManage(old.modelIds());
        List<Long> scope = u.modelNames() == null ? old.modelIds() : scope(u.modelNames());
        requireManage(scope);
        String status = u.status() == null ? old.status() : status(u.status());
        byte[] secret = u.secret() == null ? old.secret() : u.secret().isEmpty() ? null : secrets.seal(u.secret());
        Row row = new Row(key, u.name() == null ? old.name() : name(u.name()),
                u.description() == null ? old.description() : description(u.description()),
                u.url() == null ? old.url() : url(u.url()), u.events() == null ? old.events() : events(u.events()),
                status, secret, scope, old.creator(), status.equals("ACTIVE") && old.status().equals("DISABLED") ? 0
                : old.consecutiveFailures(), old.createdAt(), System.currentTimeMillis());
        Jdbc.run(dataSource, c -> WebhookRepository.update(c, row));
        return view(row);
    }

    @Transactional
    public void delete(String id) {
        UUID key = parse(id);
        Row row = Jdbc.call(dataSource, c -> WebhookRepository.lock(c, key)).orElseThrow(() -> notFound(id));
        requireManage(row.modelIds());
        Jdbc.run(dataSource, c -> WebhookRepository.delete(c, key));
    }

    /** Newest first; only the webhooks the caller may manage, in full pages. */
    public Page list(int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw CairnException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be between 1 and " + MAX_RESULTS + ".");
        }
        Keyset after = Keyset.parse(pageToken);
        Principal p = caller.principal();
        boolean all = p == null || p.admin();
        List<Row> out = new ArrayList<>();
        Keyset cursor = after;
        while (out.size() <= maxResults) {
            Keyset k = cursor;
            int batch = all ? maxResults + 1 : Math.max(100, maxResults + 1);
            List<Row> rows = Jdbc.call(dataSource, c -> WebhookRepository.page(c, k == null ? null : k.createdAt(),
                    k == null ? null : k.id(), batch, !all));
            for (Row r : rows) {
                if (all || mayManage(p, r.modelIds())) {
                    out.add(r);
                }
            }
            if (rows.size() < batch) {
                break;
            }
            Row last = rows.get(rows.size() - 1);
            cursor = new Keyset(last.createdAt(), last.id());
        }
        String next = null;
        if (out.size() > maxResults) {
            out = out.subList(0, maxResults);
            Row last = out.get(maxResults - 1);
            next = new Keyset(last.createdAt(), last.id()).token();
        }
        return new Page(out.stream().map(this::view).toList(), next);
    }

    /** Sends {@code event} (default: the first subscribed) with its example payload, now, outside the outbox. */
    public WebhookSender.Outcome test(String id, String event) {
        Row row = find(id);
        requireManage(row.modelIds());
        String name = event == null ? row.events().get(0) : events(List.of(event)).get(0);
        String[] parts = name.split("\\.", 2);
        String body = Outbox.body(parts[0], parts[1], WebhookEvents.example(name));
        String secret;
        try {
            secret = row.secret() == null ? null : secrets.open(row.secret());
        } catch (IllegalStateException e) {
            // A secret sealed under another CAIRN_SECRET_KEY: the test fails and says why (no 500).
            return new WebhookSender.Outcome(null, null, e.getMessage(), 0);
        }
        return sender.send(row.url(), UUID.randomUUID(), body, secret);
    }

    /** The webhook, if the caller may manage it: the deliveries API's check. */
    Row readable(String id) {
        Row row = find(id);
        requireManage(row.modelIds());
        return row;
    }

    // ---- validation ------------------------------------------------------------------------------

    static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw CairnException.invalid("Invalid webhook name '" + name + "': names are 1-63 letters, digits, "
                    + "'.', '_' or '-', starting and ending with a letter or digit.");
        }
        return name;
    }

    private static String description(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw CairnException.invalid("Webhook description exceeds " + MAX_DESCRIPTION + " characters.");
        }
        return description == null ? "" : description;
    }

    private String url(String url) {
        if (url == null || url.isBlank()) {
            throw CairnException.invalid("Webhook URL cannot be empty.");
        }
        if (url.length() > MAX_URL) {
            throw CairnException.invalid("Webhook URL exceeds " + MAX_URL + " characters.");
        }
        sender.guard().check(url);
        return url;
    }

    static List<String> events(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw CairnException.invalid("Webhook events cannot be empty.");
        }
        for (String e : events) {
            if (!WebhookEvents.valid(e)) {
                throw CairnException.invalid("Invalid webhook event '" + e + "'. Valid events: "
                        + String.join(", ", WebhookEvents.names()) + ".");
            }
        }
        return List.copyOf(new LinkedHashSet<>(events));
    }

    private static String status(String status) {
        String s = status.toUpperCase(Locale.ROOT);
        if (!s.equals("ACTIVE") && !s.equals("DISABLED")) {
            throw CairnException.invalid("Invalid webhook status '" + status + "': it must be ACTIVE or DISABLED.");
        }
        return s;
    }

    /** Model names to ids; empty for global (stored as null). */
    private List<Long> scope(List<String> names) {
        if (names == null || names.isEmpty()) {
            return null;
        }
        List<Long> ids = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            ids.add(models.idByName(n).orElseThrow(() -> CairnException.notFound("Registered Model with name=" + n
                    + " not found")));
        }
        return ids;
    }

    // ---- permissions -----------------------------------------------------------------------------

    private void requireManage(List<Long> modelIds) {
        Principal p = caller.principal();
        if (p == null || p.admin()) {
            return;
        }
        if (modelIds == null) {
            throw CairnException.denied("Permission denied: only admins may manage global webhooks (a webhook without "
                    + "model_names).");
        }
        if (!mayManage(p, modelIds)) {
            throw CairnException.denied("Permission denied: managing this webhook needs MANAGE on every model it is "
                    + "scoped to.");
        }
    }

    private boolean mayManage(Principal p, List<Long> modelIds) {
        if (modelIds == null) {
            return p.admin();
        }
        return modelIds.stream().allMatch(id -> policy.modelLevel(p, id).includes(Permission.MANAGE));
    }

    // ---- rows and views --------------------------------------------------------------------------

    private Row find(String id) {
        UUID key = parse(id);
        return Jdbc.call(dataSource, c -> WebhookRepository.find(c, key)).orElseThrow(() -> notFound(id));
    }

    static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw notFound(id);
        }
    }

    private static CairnException notFound(String id) {
        return CairnException.notFound("Webhook with ID " + id + " not found");
    }

    private WebhookView view(Row r) {
        List<String> names = r.modelIds() == null ? List.of() : r.modelIds().stream()
                .map(models::nameById).flatMap(Optional::stream).toList();
        return new WebhookView(r.id(), r.name(), r.description(), r.url(), r.events(), r.status(), names,
                r.secret() != null, r.createdAt(), r.updatedAt());
    }
}
