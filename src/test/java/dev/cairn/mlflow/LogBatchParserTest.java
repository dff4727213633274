package dev.cairn.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.cairn.tracking.metrics.MetricPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast log-batch decoder's shortcuts: one String per key, int64 strings read without a String. */
class LogBatchParserTest {

    private static List<MetricPoint> metrics(String metricsJson) {
        LogBatchParser.LogBatch batch = LogBatchParser.tryParse("{\"run_id\":\"r\",\"metrics\":[" + metricsJson + "]}");
        return batch == null ? null : batch.metrics();
    }

    private static String metric(String key, String ts, String step) {
        return "{\"key\":\"" + key + "\",\"value\":1.5,\"timestamp\":" + ts + ",\"step\":" + step + "}";
    }

    @Test
    void repeatedKeysShareOneInstanceAndDistinctKeysStayDistinct() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            // 100 distinct keys (more than the cache holds), some differing only in their last character
            b.append(i == 0 ? "" : ",").append(metric("loss_" + (i % 100), "\"" + i + "\"", "\"" + i + "\""));
        }
        List<MetricPoint> points = metrics(b.toString());
        assertEquals(300, points.size());
        for (int i = 0; i < 300; i++) {
            assertEquals("loss_" + (i % 100), points.get(i).key());
            assertEquals(i, points.get(i).timestamp());
            assertEquals(i, points.get(i).step());
        }
        assertSame(points.get(0).key(), points.get(100).key());
        assertSame(points.get(63).key(), points.get(263).key());
    }

    @Test
    void int64StringsOutsideTheShortcutAreReadAsLongParseLongReadsThem() {
        List<MetricPoint> points = metrics(String.join(",", metric("a", "\"0012\"", "\"-7\""),
                metric("a", "\"+5\"", "\"9223372036854775807\""), metric("a", "\"123456789012345678\"", "\"-0\""),
                metric("a", "\"\u0661\u0662\"", "0")));
        assertNotNull(points);
        assertEquals(List.of(12L, 5L, 123456789012345678L, 12L), points.stream().map(MetricPoint::timestamp).toList());
        assertEquals(List.of(-7L, Long.MAX_VALUE, 0L, 0L), points.stream().map(MetricPoint::step).toList());
    }

    @Test
    void unusualValuesAreLeftToTheStrictDecoder() {
        assertNull(metrics(metric("a", "\"9223372036854775808\"", "0")), "overflow");
        assertNull(metrics(metric("a", "\"\"", "0")), "empty");
        assertNull(metrics(metric("a", "\"1.5\"", "0")), "fraction");
        assertNull(metrics(metric("\\ud800", "1", "0")), "lone surrogate in a key");
        assertNull(metrics(metric("a", "1", "0") + "," + metric("\\ud800x", "1", "0")), "lone surrogate after a key");
    }
}
