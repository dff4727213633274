package dev.cairn.common;

/** A param or tag. */
public record KeyValue(String key, String value) {
}
