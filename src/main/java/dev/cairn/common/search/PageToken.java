package dev.cairn.common.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Opaque keyset page tokens: base64url JSON {@code {"v":1,"fp":...,"k":[...]}} holding the last row's sort
 * key values and a fingerprint of the request that produced it.
 *
 * <p>The fingerprint is a plain hash, not a signature: it catches a token replayed with a different filter,
 * order or scope. A forged token can only move the seek position within the caller's own query, because
 * every value is bound as a typed parameter.
 */
public final class PageToken {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private PageToken() {
    }

    /** A short stable hash of the request parts that determine the result order and membership. */
    public static String fingerprint(Object... requestParts) {
        try {
            byte[] canonical = JSON.writeValueAsBytes(Arrays.asList(requestParts));
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 12));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encodes the seek values; doubles travel as strings so every double round-trips exactly. */
    static String encode(String fingerprint, List<Object> values) {
        ObjectNode root = JSON.createObjectNode();
        root.put("v", VERSION);
        root.put("fp", fingerprint);
        ArrayNode k = root.putArray("k");
        for (Object v : values) {
            if (v == null) {
                k.addNull();
            } else if (v instanceof Integer n) {
                k.add(n);
            } else if (v instanceof Long n) {
                k.add(n);
            } else if (v instanceof Double d) {
                k.add(Double.toString(d));
            } else {
                k.add((String) v);
            }
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decodes a token into raw seek values (Integer, Long, Double, String or null) matching {@code types};
     * structural checks only. Throws 400 "Invalid page token ..." on anything malformed or foreign.
     */
    static List<Object> decode(String token, String fingerprint, List<SortKey.ColumnType> types) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token.trim());
        } catch (IllegalArgumentException e) {
            throw invalid("could not base64-decode");
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(raw, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw invalid("could not parse its contents");
        }
        if (root == null || !root.isObject() || root.path("v").asInt(-1) != VERSION
                || !root.path("fp").isTextual() || !root.path("k").isArray()) {
            throw invalid("unrecognised contents");
        }
        if (!root.get("fp").asText().equals(fingerprint)) {
            throw invalid("it belongs to a different search (filter, order_by, experiments or view type changed)");
        }
        JsonNode k = root.get("k");
        if (k.size() != types.size()) {
            throw invalid("unrecognised contents");
        }
        List<Object> values = new ArrayList<>(types.size());
        for (int idx = 0; idx < types.size(); idx++) {
            values.add(value(k.get(idx), types.get(idx)));
        }
        return values;
    }

    private static Object value(JsonNode node, SortKey.ColumnType type) {
        if (node.isNull()) {
            return null;
        }
        switch (type) {
            case INT:
                if (node.isInt()) {
                    return node.intValue();
                }
                break;
            case LONG:
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    return node.longValue();
                }
                break;
            case DOUBLE:
                if (node.isTextual()) {
                    try {
                        double d = Double.parseDouble(node.textValue());
                        if (!Double.isNaN(d)) {
                            return d;
                        }
                    } catch (NumberFormatException e) {
                        // fall through to the error below
                    }
                }
                break;
            case TEXT:
                if (node.isTextual()) {
                    return node.textValue();
                }
                break;
            default:
                break;
        }
        throw invalid("unrecognised contents");
    }

    static CairnException invalid(String why) {
        return CairnException.invalid("Invalid page token, " + why);
    }
}
