package dev.cairn.tracking;

/** A param or tag. */
public record KeyValue(String key, String value) {
}
