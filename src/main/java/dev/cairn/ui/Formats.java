package dev.cairn.ui;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How the UI writes times, durations and metric values; usable from templates as
 * {@code {run.startTime.time}}, {@code {value.metric}} and in Java. Times are UTC, to the second.
 */
@TemplateExtension
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** {@code 2024-03-01 14:05:09} (UTC), or an empty string for null. */
    public static String time(Long epochMillis) {
        return epochMillis == null ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** One URL path segment, percent-encoded ({@code {user.username.urlPath}} in a form's action). */
    public static String urlPath(String segment) {
        return Links.encodePath(segment);
    }

    /** ISO-8601 instant for {@code <time datetime>}. */
    public static String iso(Long epochMillis) {
        return epochMillis == null ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }

    /** {@code 1h 02m}, {@code 3m 05s}, {@code 12.3s}; empty when unknown. */
    public static String duration(Long millis) {
        if (millis == null || millis < 0) {
            return "";
        }
        Duration d = Duration.ofMillis(millis);
        if (d.toDays() > 0) {
            return String.format("%dd %02dh", d.toDays(), d.toHoursPart());
        }
        if (d.toHours() > 0) {
            return String.format("%dh %02dm", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return String.format("%dm %02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    /** Like {@link #duration} but in milliseconds below a second ({@code 42 ms}), for traces and spans. */
    public static String fineDuration(Long millis) {
        if (millis != null && millis >= 0 && millis < 1000) {
            return millis + " ms";
        }
        return duration(millis);
    }

    /** {@code 532 B}, {@code 1.4 KB}, {@code 12.0 MB} (powers of 1024). */
    public static String bytes(Long size) {
        if (size == null) {
            return "";
        }
        if (size < 1024) {
            return size + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double v = size;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * A metric value, six significant digits: NaN as {@code NaN}, the stored ±Infinity sentinels
     * (±1.7976931348623157e308) as {@code ∞}/{@code -∞}, null as an empty string.
     */
    public static String metric(Double v) {
        if (v == null) {
            return "";
        }
        if (v.isNaN()) {
            return "NaN";
        }
        if (v >= Double.MAX_VALUE) {
            return "∞";
        }
        if (v <= -Double.MAX_VALUE) {
            return "-∞";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue());
        }
        double abs = Math.abs(v);
        if (abs != 0 && (abs < 1e-4 || abs >= 1e9)) {
            return String.format(java.util.Locale.ROOT, "%.5e", v);
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
