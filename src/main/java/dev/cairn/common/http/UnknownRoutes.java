package dev.cairn.common.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Logs requests to API routes Cairn does not serve, so an operator can see why a client fails (a newer MLflow
 * client calling a route that is not there yet answers only {@code ENDPOINT_NOT_FOUND} to its user). At most once a
 * minute per method and path, and at most {@link #MAX_LINES_PER_MINUTE} lines a minute in all, so a scanner
 * cannot flood the log.
 */
public final class UnknownRoutes {

    private static final Logger LOG = Logger.getLogger(UnknownRoutes.class);
    private static final long MINUTE_NANOS = 60_000_000_000L;
    static final int MAX_LINES_PER_MINUTE = 100;
    private static final int MAX_REMEMBERED = 10_000;

    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private long windowStart = System.nanoTime();
    private int linesInWindow;

    /** Records one request to an unknown route; logs it at WARN unless it was logged within the last minute. */
    public void seen(String method, String path) {
        if (path == null || !(path.startsWith("/api/") || path.startsWith("/ajax-api/"))) {
            return;
        }
        long now = System.nanoTime();
        String route = method + " " + (path.length() > 300 ? path.substring(0, 300) + "..." : path);
        Long last = lastLogged.get(route);
        if (last != null && now - last < MINUTE_NANOS) {
            return;
        }
        if (!takeLine(now)) {
            return;
        }
        if (lastLogged.size() >= MAX_REMEMBERED) {
            lastLogged.clear(); // bounded memory; at worst a route is logged again early
        }
        lastLogged.put(route, now);
        LOG.warnf("Unknown route %s answered 404 ENDPOINT_NOT_FOUND (the client may need an API Cairn does not "
                + "serve)", route);
    }

    private synchronized boolean takeLine(long now) {
        if (now - windowStart >= MINUTE_NANOS) {
            windowStart = now;
            linesInWindow = 0;
        }
        return linesInWindow++ < MAX_LINES_PER_MINUTE;
    }
}
