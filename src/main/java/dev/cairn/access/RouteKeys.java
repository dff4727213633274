package dev.cairn.access;

import java.util.regex.Pattern;

/** Route keys as {@link RouteTable} writes them: {@code METHOD /path}, {@code /ajax-api} folded, regexes dropped. */
final class RouteKeys {

    private static final Pattern REGEX_PARAM = Pattern.compile("\\{\\s*(\\w+)\\s*:[^}]*}");

    private RouteKeys() {
    }

    static String of(String httpMethod, String classPath, String methodPath) {
        String path = "/" + (classPath == null ? "" : classPath) + "/" + (methodPath == null ? "" : methodPath);
        path = path.replace("{prefix:api|ajax-api}", "api");
        path = REGEX_PARAM.matcher(path).replaceAll("{$1}");
        path = path.replaceAll("/{2,}", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return httpMethod + " " + path;
    }
}
