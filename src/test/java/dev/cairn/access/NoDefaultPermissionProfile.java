package dev.cairn.access;

import java.util.HashMap;
import java.util.Map;

/** Auth on with {@code CAIRN_DEFAULT_PERMISSION=NO_PERMISSIONS}: nothing is visible without a grant. */
public class NoDefaultPermissionProfile extends AuthOnProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> m = new HashMap<>(super.getConfigOverrides());
        m.put("cairn.default-permission", "NO_PERMISSIONS");
        return m;
    }
}
