package dev.cairn.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** HTTP Range parsing against a file size: the forms served, the ones ignored, the ones refused. */
class ByteRangeTest {

    @Test
    void resolvesClosedOpenAndSuffixRanges() {
        assertEquals(new ByteRange(0, 10), ByteRange.parse("bytes=0-9", 100));
        assertEquals(new ByteRange(90, 10), ByteRange.parse("bytes=90-", 100));
        assertEquals(new ByteRange(70, 30), ByteRange.parse("bytes=-30", 100));
        assertEquals(new ByteRange(0, 100), ByteRange.parse("bytes=-500", 100));
        assertEquals(new ByteRange(95, 5), ByteRange.parse(" bytes=95-1000 ", 100), "an end past the file is clamped");
    }

    @Test
    void servesTheWholeFileForAbsentMalformedOrMultipleRanges() {
        assertNull(ByteRange.parse(null, 100));
        assertNull(ByteRange.parse("  ", 100));
        assertNull(ByteRange.parse("items=0-1", 100));
        assertNull(ByteRange.parse("bytes=0-1,5-6", 100));
        assertNull(ByteRange.parse("bytes=abc", 100));
        assertNull(ByteRange.parse("bytes=x-2", 100));
    }

    @Test
    void refusesRangesOutsideTheFile() {
        ByteRange.NotSatisfiableException e = assertThrows(ByteRange.NotSatisfiableException.class,
                () -> ByteRange.parse("bytes=100-", 100));
        assertEquals(100, e.size());
        assertThrows(ByteRange.NotSatisfiableException.class, () -> ByteRange.parse("bytes=5-2", 100));
        assertThrows(ByteRange.NotSatisfiableException.class, () -> ByteRange.parse("bytes=-0", 100));
        assertThrows(ByteRange.NotSatisfiableException.class, () -> ByteRange.parse("bytes=0-", 0));
    }
}
