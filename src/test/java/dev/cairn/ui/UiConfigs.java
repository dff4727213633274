package dev.cairn.ui;

import io.smallrye.config.WithDefault;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A {@link UiConfig} for tests outside Quarkus: every key at its {@code @WithDefault}, some overridden. */
final class UiConfigs {

    private UiConfigs() {
    }

    static UiConfig defaults() {
        return with(Map.of());
    }

    /** Overrides by accessor name, e.g. {@code Map.of("maxColumns", 2)}. */
    static UiConfig with(Map<String, Object> overrides) {
        return (UiConfig) Proxy.newProxyInstance(UiConfig.class.getClassLoader(), new Class<?>[] {UiConfig.class},
                (proxy, method, args) -> overrides.containsKey(method.getName()) ? overrides.get(method.getName())
                        : defaultOf(method));
    }

    private static Object defaultOf(Method m) {
        String value = m.getAnnotation(WithDefault.class).value();
        if (m.getReturnType() == int.class) {
            return Integer.parseInt(value);
        }
        if (m.getReturnType() == List.class) {
            return Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
        }
        throw new IllegalStateException("no test default for " + m);
    }
}
