package dev.cairn.registry;

import dev.cairn.common.CairnException;
import dev.cairn.common.Validation;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Checks of registry request values, with MLflow's messages: model names, version numbers, tags, and the
 * length of every free-text field. Over-long text is refused, never truncated: registry text also lands in
 * the append-only audit history, where it could never be removed again.
 */
final class RegistryInput {

    /** MLflow documents no limit on model names; 256 keeps them index- and URL-friendly (MLflow's column). */
    static final int MAX_NAME_LENGTH = 256;
    /** MLflow's {@code MAX_MODEL_REGISTRY_TAG_KEY_LENGTH}. */
    static final int MAX_TAG_KEY_LENGTH = 250;
    /** MLflow's {@code MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH}. */
    static final int MAX_TAG_VALUE_LENGTH = 100_000;
    /**
     * Model and version descriptions: MLflow 3.6's SQL store keeps them in {@code VARCHAR(5000)} columns
     * (it has no validation constant). Each description change stores before and after in the audit history.
     */
    static final int MAX_DESCRIPTION_LENGTH = 5000;
    /** Cairn's own: a comment of a native or UI change, kept in the audit history (as long as a description). */
    static final int MAX_COMMENT_LENGTH = 5000;
    /** A version's {@code source} and {@code run_link}: MLflow's {@code VARCHAR(500)} columns. */
    static final int MAX_SOURCE_LENGTH = 500;
    static final int MAX_RUN_LINK_LENGTH = 500;

    /** ASCII digits only: {@code \d} without flags, spelled out so no Unicode digit ever matches. */
    private static final Pattern DIGITS = Pattern.compile("^[0-9]+$");

    private RegistryInput() {
    }

    /** A required request value: absent or empty is MLflow's "Missing value for required parameter". */
    static void require(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            throw Validation.missing(parameter);
        }
    }

    /** A name for a new or renamed model: present, at most {@link #MAX_NAME_LENGTH}, usable as a URL segment. */
    static void newModelName(String parameter, String name) {
        require(parameter, name);
        Validation.maxLength(parameter, name, MAX_NAME_LENGTH);
        if (name.equals(".") || name.equals("..")) {
            // as a URL path segment (the native API, the UI) these would mean another resource
            throw CairnException.invalid("Invalid value '" + name + "' for parameter '" + parameter + "': "
                    + "'.' and '..' cannot be model names");
        }
    }

    /**
     * A version number as MLflow sends it: a string of ASCII digits (leading zeros allowed, as MLflow's
     * {@code int()} reads them) from 1 to {@link Integer#MAX_VALUE}. No trimming: a blank, NUL, sign or any
     * other character makes it something else than a number, never another spelling of one.
     */
    static int version(String version) {
        require("version", version);
        OptionalInt n = parseVersion(version);
        if (n.isEmpty()) {
            throw CairnException.invalid("Parameter 'version' must be an integer, got '" + version + "'.");
        }
        return n.getAsInt();
    }

    /** The version number {@code s} spells (see {@link #version}), or empty. */
    static OptionalInt parseVersion(String s) {
        if (s == null || !DIGITS.matcher(s).matches()) {
            return OptionalInt.empty();
        }
        String digits = s.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 10) {
            return OptionalInt.empty();
        }
        long n = Long.parseLong(digits);
        return n >= 1 && n <= Integer.MAX_VALUE ? OptionalInt.of((int) n) : OptionalInt.empty();
    }

    /**
     * A tag of a model or version: MLflow's key rules and limits ({@code _validate_registered_model_tag},
     * {@code _validate_model_version_tag}), with MLflow's message for an over-long key.
     */
    static void tag(String key, String value) {
        require("key", key);
        Validation.maxLength("key", key, MAX_TAG_KEY_LENGTH);
        Validation.key("Tag", key);
        Validation.maxLength("value", value, MAX_TAG_VALUE_LENGTH);
    }

    /** A model or version description (null means none). */
    static void description(String description) {
        Validation.maxLength("description", description, MAX_DESCRIPTION_LENGTH);
    }

    /** The comment of a change, stored with its audit record (null means none). */
    static void comment(String comment) {
        Validation.maxLength("comment", comment, MAX_COMMENT_LENGTH);
    }
}
