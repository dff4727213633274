package dev.cairn.access;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's permission table is the route table: regenerated from it, never edited by hand. */
class PermissionTableDocTest {

    static String table() {
        StringBuilder out = new StringBuilder("| route | needs |\n|---|---|\n");
        RouteTable.all().forEach((route, rule) -> out.append("| `").append(route).append("` | ")
                .append(rule.describe()).append(" |\n"));
        return out.toString();
    }

    @Test
    void theReadmeShowsTheRouteTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String table = table();
        assertTrue(readme.contains(table), "README.md's permission table differs from RouteTable; it should be:\n"
                + table);
    }
}
