package dev.cairn.common;

import dev.cairn.common.CairnException;
import java.util.regex.Pattern;

/** MLflow's limits and key rules ({@code mlflow/utils/validation.py}), with MLflow's messages. */
public final class Validation {

    public static final int MAX_ENTITY_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VAL_LENGTH = 6000;
    public static final int MAX_TAG_VAL_LENGTH = 8000;
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    public static final int MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
    public static final int MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000;
    public static final int MAX_ARTIFACT_LOCATION_LENGTH = 2048;
    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    public static final int MAX_DATASET_NAME_LENGTH = 500;
    public static final int MAX_DATASET_DIGEST_LENGTH = 36;
    public static final int MAX_DATASET_SOURCE_LENGTH = 65535;
    public static final int MAX_DATASET_SCHEMA_LENGTH = 1048575;
    public static final int MAX_DATASET_PROFILE_LENGTH = 16777215;
    public static final int MAX_INPUT_TAG_KEY_LENGTH = 255;
    public static final int MAX_INPUT_TAG_VALUE_LENGTH = 500;
    /** MLflow's SQL schema ({@code runs.user_id} is a String(256)). */
    public static final int MAX_USER_ID_LENGTH = 256;
    /** One log-model's MLmodel description (MLflow sets none; real ones are a few KB, signatures included). */
    public static final int MAX_MODEL_JSON_LENGTH = 1 << 20;
    /** The run's whole {@code mlflow.log-model.history}: about a thousand models, then log-model is refused. */
    public static final int MAX_LOG_MODEL_HISTORY_LENGTH = 4 << 20;

    private static final Pattern VALID_KEY = Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern RUN_ID = Pattern.compile("^[a-zA-Z0-9][\\w\\-]{0,255}$");

    private Validation() {
    }

    /** MLflow's message for an absent or empty required request parameter. */
    public static CairnException missing(String parameter) {
        return CairnException.invalid("Missing value for required parameter '" + parameter + "'. "
                + "See the API docs for more information about request parameters.");
    }

    /** Metric names, param keys and tag keys: MLflow's character set, and "path-unique" (they may become file names). */
    public static void key(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw missing("key");
        }
        if (key.length() > MAX_ENTITY_KEY_LENGTH) {
            throw CairnException.invalid("'" + kind + " key' exceeds the maximum length of " + MAX_ENTITY_KEY_LENGTH
                    + " characters");
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw CairnException.invalid("Invalid " + kind.toLowerCase() + " name: '" + key + "'. Names may only contain "
                    + "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
        }
        if (!isPathUnique(key)) {
            throw CairnException.invalid("Invalid " + kind.toLowerCase() + " name: '" + key + "'. Names may be treated "
                    + "as files in certain cases, and must not resolve to other names when treated as such. "
                    + "This name would resolve to '" + normalize(key) + "'");
        }
    }

    public static void runId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw CairnException.invalid("Invalid run ID: '" + runId + "'");
        }
    }

    public static void maxLength(String what, String value, int max) {
        if (value != null && value.length() > max) {
            throw CairnException.invalid("'" + what + "' exceeds the maximum length of " + max + " characters");
        }
    }

    /** A search's {@code max_results} against the route's cap, with MLflow's message. */
    public static void maxResults(int maxResults, int max) {
        if (maxResults < 1 || maxResults > max) {
            throw CairnException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be at most " + max + ", but got value " + maxResults);
        }
    }

    /** MLflow truncates over-long param and tag values (MLFLOW_TRUNCATE_LONG_VALUES defaults to true). */
    public static String truncate(String value, int max) {
        return value != null && value.length() > max ? value.substring(0, max) : value;
    }

    static boolean isPathUnique(String name) {
        return normalize(name).equals(name) && !name.equals(".") && !name.startsWith("..") && !name.startsWith("/");
    }

    /** posixpath.normpath, enough for the uniqueness check. */
    static String normalize(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean absolute = path.startsWith("/");
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (part.equals("..") && absolute) {
                continue;
            } else {
                parts.addLast(part);
            }
        }
        String joined = String.join("/", parts);
        String result = absolute ? "/" + joined : joined;
        return result.isEmpty() ? "." : result;
    }
}
