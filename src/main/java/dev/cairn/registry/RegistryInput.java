package dev.cairn.registry;

import dev.cairn.common.CairnException;
import dev.cairn.common.Validation;
import java.util.regex.Pattern;

/** Checks of registry request values, with MLflow's messages: model names, version numbers, tags. */
final class RegistryInput {

    /** MLflow documents no limit on model names; 256 keeps them index- and URL-friendly. */
    static final int MAX_NAME_LENGTH = 256;
    static final int MAX_TAG_VALUE_LENGTH = 100_000;

    private static final Pattern VERSION = Pattern.compile("^\\d{1,9}$");

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

    /** A version number as MLflow sends it (a string of digits, at least 1). */
    static int version(String version) {
        require("version", version);
        if (!isNumber(version.trim()) || Integer.parseInt(version.trim()) < 1) {
            throw CairnException.invalid("Parameter 'version' must be an integer, got '" + version + "'.");
        }
        return Integer.parseInt(version.trim());
    }

    /** True for the digits of a version number (at most nine, so it fits an int). */
    static boolean isNumber(String s) {
        return VERSION.matcher(s).matches();
    }

    /** A tag of a model or version: MLflow's key rules (at most 250 characters) and a bounded value. */
    static void tag(String key, String value) {
        Validation.key("Tag", key);
        Validation.maxLength("value", value, MAX_TAG_VALUE_LENGTH);
    }
}
